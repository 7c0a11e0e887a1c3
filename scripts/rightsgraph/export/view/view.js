// The interactive view of rightsgraph: nodes coloured by kind, edges labelled, filters by
// document and crime type, and a click shows a node's statements with the sources' own words.
// Data: window.RIGHTSGRAPH (graph.js, written by `rightsgraph export view`). Text from the data
// is only ever set as textContent, never as HTML.
(function () {
  "use strict";
  const data = window.RIGHTSGRAPH;
  const CRIME_TYPE = "https://w3id.org/rightsgraph/ontology#crimeType";

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  const cy = cytoscape({
    container: document.getElementById("cy"),
    elements: data.elements,
    style: [
      { selector: "node", style: {
          "background-color": (n) => data.colours[n.data("kind")] || data.colours.other,
          "label": "data(label)", "font-size": 9, "text-wrap": "ellipsis", "text-max-width": 110,
          "width": 18, "height": 18, "text-valign": "bottom", "text-margin-y": 2 } },
      { selector: "edge", style: {
          "label": "data(label)", "font-size": 7, "color": "#777", "width": 1,
          "line-color": "#bbb", "target-arrow-color": "#bbb", "target-arrow-shape": "triangle",
          "curve-style": "bezier", "text-rotation": "autorotate" } },
      { selector: ".hidden", style: { "display": "none" } },
      { selector: ":selected", style: { "border-width": 3, "border-color": "#000", "line-color": "#000" } },
      { selector: ".match", style: { "border-width": 3, "border-color": "#222" } },
      { selector: ".faded", style: { "opacity": 0.12, "text-opacity": 0 } },
    ],
    layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: () => 9000,
              idealEdgeLength: () => 70, numIter: 1500 },
  });
  window.cy = cy; // for people poking at it in the console, and for the browser test

  // Filters ------------------------------------------------------------------------------
  const documentFilter = document.getElementById("document-filter");
  const crimeFilter = document.getElementById("crime-filter");
  for (const doc of data.documents) {
    const option = el("option", doc.label); option.value = doc.id; documentFilter.append(option);
  }
  for (const crime of data.crimeTypes) {
    const option = el("option", crime.label); option.value = crime.id; crimeFilter.append(option);
  }

  function applyFilters() {
    const doc = documentFilter.value;
    const crime = crimeFilter.value;
    let visible = cy.elements();
    if (doc) {
      const edges = cy.edges().filter((e) => (e.data("sources") || []).includes(doc));
      const nodes = cy.nodes().filter((n) => (n.data("sources") || []).includes(doc) || n.id() === doc);
      visible = edges.union(nodes).union(edges.connectedNodes());
    }
    if (crime) {
      const crimes = cy.edges().filter((e) => e.data("predicate") === CRIME_TYPE && e.target().id() === crime).sources();
      const around = crimes.closedNeighborhood();
      visible = visible.intersection(around.union(around.connectedEdges().filter((e) => around.contains(e.source()) && around.contains(e.target()))));
    }
    cy.batch(() => {
      cy.elements().addClass("hidden");
      visible.removeClass("hidden");
      visible.edges().filter((e) => e.source().hasClass("hidden") || e.target().hasClass("hidden")).addClass("hidden");
    });
    // Says which filters the graph now shows, so scripts driving the page know when it is done.
    document.body.dataset.filters = `${doc}|${crime}`;
  }
  documentFilter.addEventListener("change", applyFilters);
  crimeFilter.addEventListener("change", applyFilters);

  document.getElementById("search").addEventListener("input", (event) => {
    const text = event.target.value.trim().toLowerCase();
    cy.nodes().removeClass("match");
    if (!text) return;
    cy.nodes().filter((n) => Object.entries(n.data()).some(([k, v]) =>
      k.startsWith("label") && String(v).toLowerCase().includes(text))).addClass("match");
  });

  const legend = document.getElementById("legend");
  const kinds = new Set(cy.nodes().map((n) => n.data("kind")));
  for (const [kind, colour] of Object.entries(data.colours)) {
    if (!kinds.has(kind)) continue;
    const item = el("li");
    const swatch = el("span", "", "swatch"); swatch.style.background = colour;
    item.append(swatch, el("span", kind));
    legend.append(item);
  }

  // Details ------------------------------------------------------------------------------
  const details = document.getElementById("details");

  function statementBlock(s) {
    const block = el("div", null, "statement");
    block.append(el("div", `${s.subjectLabel} — ${s.predicateLabel} — ${s.objectLabel}`, "triple"));
    for (const quote of s.quotes) {
      const q = el("blockquote", quote.text, "quote");
      if (quote.lang) q.lang = quote.lang;
      block.append(q);
    }
    block.append(el("div", `${s.sourceLabel} · ${s.status} · ${s.claimLabel}`, "meta"));
    return block;
  }

  function showNode(node) {
    const d = node.data();
    details.replaceChildren();
    details.append(el("h2", d.label), el("div", d.uri || d.id, "iri"));
    const facts = el("dl");
    const skip = new Set(["id", "value", "name", "label", "uri", "claims", "sources", "statuses", "types", "curie"]);
    for (const [key, value] of Object.entries(d).sort()) {
      if (skip.has(key)) continue;
      facts.append(el("dt", key), el("dd", Array.isArray(value) ? value.join("; ") : value));
    }
    details.append(facts);
    const statements = data.statements[d.id] || [];
    details.append(el("h3", `Statements and evidence (${statements.length})`));
    for (const s of statements) details.append(statementBlock(s));
  }

  function showEdge(edge) {
    const d = edge.data();
    details.replaceChildren();
    details.append(el("h2", `${edge.source().data("label")} — ${d.label} — ${edge.target().data("label")}`),
                   el("div", d.predicate, "iri"));
    const quotes = d.quotes || [];
    details.append(el("h3", `Evidence (${(d.claims || []).length} claims)`));
    quotes.forEach((text, i) => {
      const q = el("blockquote", text, "quote");
      if (d.quote_languages && d.quote_languages[i]) q.lang = d.quote_languages[i];
      details.append(q);
    });
    details.append(el("div", (d.claims || []).join(" "), "meta"));
  }

  // A clicked node's neighbourhood stands out; the rest fades until the background is clicked.
  function focus(elements) {
    cy.batch(() => { cy.elements().addClass("faded"); elements.removeClass("faded"); });
  }
  cy.on("tap", "node", (event) => { focus(event.target.closedNeighborhood()); showNode(event.target); });
  cy.on("tap", "edge", (event) => { focus(event.target.union(event.target.connectedNodes())); showEdge(event.target); });
  cy.on("tap", (event) => { if (event.target === cy) cy.elements().removeClass("faded"); });
  document.body.dataset.ready = "true";
})();
