// The only script of the site: search the names of every resource, on the client.
// The index (search-index.js) is a script, not JSON fetched at run time, so search works from file:// too.
(function () {
  "use strict";
  var form = document.getElementById("search");
  var input = document.getElementById("q");
  var list = document.getElementById("results");
  var status = document.getElementById("search-status");
  var entries = window.RIGHTSGRAPH_SEARCH || [];
  var LIMIT = 50;
  if (!form || !input || !list) { return; }
  form.hidden = false;
  function normalise(text) { return text.toLocaleLowerCase().normalize("NFKC"); }
  var haystacks = entries.map(function (entry) { return normalise(entry.names.join("\n") + "\n" + entry.iri); });
  function show() {
    var query = normalise(input.value.trim());
    list.textContent = "";
    if (!query) { status.textContent = ""; return; }
    var hits = [];
    for (var i = 0; i < entries.length; i++) {
      if (haystacks[i].indexOf(query) !== -1) { hits.push(entries[i]); }
    }
    // Exact names first, then shorter names: "China" before "Forced repatriation by China".
    hits.sort(function (a, b) {
      var ae = a.names.some(function (n) { return normalise(n) === query; }) ? 0 : 1;
      var be = b.names.some(function (n) { return normalise(n) === query; }) ? 0 : 1;
      return ae - be || a.name.length - b.name.length || a.name.localeCompare(b.name);
    });
    hits.slice(0, LIMIT).forEach(function (entry) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = entry.href;
      link.textContent = entry.name;
      item.appendChild(link);
      var type = document.createElement("span");
      type.className = "tag";
      type.textContent = entry.type;
      item.appendChild(document.createTextNode(" "));
      item.appendChild(type);
      list.appendChild(item);
    });
    status.textContent = hits.length === 0 ? "No resource has that name." :
      hits.length + (hits.length === 1 ? " resource" : " resources") + (hits.length > LIMIT ? ", the first " + LIMIT + " shown" : "");
  }
  form.addEventListener("submit", function (event) { event.preventDefault(); show(); });
  input.addEventListener("input", show);
  if (input.value) { show(); }
}());
