// The only script of the site: search.html finds resources by their names and claims by the
// words of their quotes, on the client. The index (search-index.js) is a script, not JSON fetched
// at run time, so search works from file:// too. It holds every name and quote in both Chinese
// scripts (converted with OpenCC when the site was published), so a query in Simplified finds a
// quote in Traditional and the reverse; Chinese is matched as characters, with no word splitting.
(function () {
  "use strict";
  var form = document.getElementById("search");
  var input = document.getElementById("q");
  var list = document.getElementById("results");
  var status = document.getElementById("search-status");
  var entries = window.RIGHTSGRAPH_SEARCH || [];
  var LIMIT = 50;
  var AROUND = 40;  // characters of the quote shown either side of what matched
  if (!form || !input || !list) { return; }
  function normalise(text) { return text.normalize("NFKC").toLocaleLowerCase(); }
  var names = entries.map(function (e) { return normalise(e.names.join("\n") + "\n" + e.iri); });
  var quotes = entries.map(function (e) {
    return e.quotes.map(function (quote) { return quote.slice(1).map(normalise); });
  });

  function allIn(haystack, terms) {
    return terms.every(function (term) { return haystack.indexOf(term) !== -1; });
  }

  // The quote and the place in it where the first term matched: the source's own words, at the
  // same place when the other script's form of the quote matched (OpenCC keeps the length).
  function snippet(entryIndex, terms) {
    var found = null;
    quotes[entryIndex].some(function (forms, q) {
      return forms.some(function (form) {
        var at = form.indexOf(terms[0]);
        if (at === -1 || !allIn(forms.join("\n"), terms)) { return false; }
        var quote = entries[entryIndex].quotes[q];
        var original = quote[1];
        var text = form.length === normalise(original).length ? original : quote[1 + forms.indexOf(form)];
        found = {text: text, start: at, end: at + terms[0].length, language: quote[0]};
        return true;
      });
    });
    return found;
  }

  function quoteElement(found) {
    var block = document.createElement("blockquote");
    block.className = "quote";
    if (found.language) { block.lang = found.language; }
    var p = document.createElement("p");
    var from = Math.max(0, found.start - AROUND);
    var to = Math.min(found.text.length, found.end + AROUND);
    p.appendChild(document.createTextNode((from > 0 ? "… " : "") + found.text.slice(from, found.start)));
    var mark = document.createElement("mark");
    mark.textContent = found.text.slice(found.start, found.end);
    p.appendChild(mark);
    p.appendChild(document.createTextNode(found.text.slice(found.end, to) + (to < found.text.length ? " …" : "")));
    block.appendChild(p);
    return block;
  }

  function tag(text) {
    var span = document.createElement("span");
    span.className = "tag";
    span.textContent = text;
    return span;
  }

  function show() {
    var query = normalise(input.value.trim());
    var terms = query.split(/\s+/).filter(Boolean);
    list.textContent = "";
    if (!terms.length) { status.textContent = ""; return; }
    var hits = [];
    for (var i = 0; i < entries.length; i++) {
      var byName = allIn(names[i], terms);
      var inQuote = byName ? null : snippet(i, terms);
      if (byName || inQuote) { hits.push({index: i, entry: entries[i], byName: byName, quote: inQuote}); }
    }
    // Names first (exact names first, then shorter ones: "China" before "Forced repatriation by
    // China"), then the claims whose quotes hold the words, in the order of their ids.
    hits.sort(function (a, b) {
      if (a.byName !== b.byName) { return a.byName ? -1 : 1; }
      if (!a.byName) { return a.entry.name.localeCompare(b.entry.name); }
      var ae = a.entry.names.some(function (n) { return normalise(n) === query; }) ? 0 : 1;
      var be = b.entry.names.some(function (n) { return normalise(n) === query; }) ? 0 : 1;
      return ae - be || a.entry.name.length - b.entry.name.length || a.entry.name.localeCompare(b.entry.name);
    });
    hits.slice(0, LIMIT).forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = hit.entry.href;
      link.textContent = hit.entry.name;
      item.appendChild(link);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(tag(hit.entry.type));
      if (hit.entry.status) {
        item.appendChild(document.createTextNode(" "));
        item.appendChild(tag(hit.entry.status));
      }
      if (hit.quote) { item.appendChild(quoteElement(hit.quote)); }
      list.appendChild(item);
    });
    var quoted = hits.filter(function (h) { return !h.byName; }).length;
    status.textContent = hits.length === 0 ? "Nothing has those words in its names or quotes." :
      (hits.length - quoted) + " by name, " + quoted + " in the sources' words" +
      (hits.length > LIMIT ? "; the first " + LIMIT + " shown" : "");
  }

  function search() {
    show();
    var url = new URL(window.location.href);
    url.searchParams.set("q", input.value);
    window.history.replaceState(null, "", url.toString());
  }
  form.addEventListener("submit", function (event) { event.preventDefault(); search(); });
  input.addEventListener("input", search);
  var given = new URLSearchParams(window.location.search).get("q");
  if (given) { input.value = given; }
  if (input.value) { show(); }
}());
