// The interactive view of rightsgraph: nodes coloured by kind, edges labelled, filters by
// document and crime type, and a click shows a node's statements with the sources' own words.
// It opens on one resource and its neighbourhood (#resource=IRI, else data.start), or on a
// document's part of the graph (#document=IRI), or on everything (#all); only what is shown is
// laid out, so it is readable and quick. Edges that only non-factual claims state are dashed.
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
      { selector: "edge.unasserted", style: {
          "line-style": "dashed", "line-dash-pattern": [6, 4], "line-color": "#c77", "target-arrow-color": "#c77",
          "color": "#a55", "label": (e) => `${e.data("label")} (${(e.data("statuses") || []).join(", ")})` } },
      { selector: ".hidden", style: { "display": "none" } },
      { selector: ".start", style: { "border-width": 3, "border-color": "#000", "font-weight": "bold", "font-size": 11 } },
      { selector: ":selected", style: { "border-width": 3, "border-color": "#000", "line-color": "#000" } },
      { selector: ".match", style: { "border-width": 3, "border-color": "#222" } },
      { selector: ".faded", style: { "opacity": 0.12, "text-opacity": 0 } },
    ],
    layout: { name: "preset" },  // laid out below, once what is shown is known
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

  // What the view is on: {resource} (and its neighbourhood), or {all: true}; from the URL's hash.
  const depthChoice = document.getElementById("depth");
  const showUnasserted = document.getElementById("show-unasserted");
  function place() {
    const hash = new URLSearchParams(window.location.hash.slice(1));
    if (hash.has("all")) return { all: true };
    if (hash.get("document")) return { document: hash.get("document") };
    const wanted = hash.get("resource");
    return { resource: wanted && cy.getElementById(wanted).nonempty() ? wanted : data.start };
  }
  function neighbourhood(node, steps) {
    let around = node;
    for (let i = 0; i < steps; i++) around = around.closedNeighborhood();
    return around;
  }

  function layout(elements) {
    // cose on the shown elements only: a neighbourhood of 20 to 60 nodes takes well under a second.
    elements.layout({ name: "cose", animate: false, randomize: true, nodeRepulsion: () => 30000, nodeOverlap: 40,
                      idealEdgeLength: () => 70, numIter: 1000, fit: true, padding: 30 }).run();
  }

  function applyFilters() {
    const doc = documentFilter.value;
    const crime = crimeFilter.value;
    const where = place();
    let visible = cy.elements();
    cy.nodes().removeClass("start");
    if (where.resource) {
      const start = cy.getElementById(where.resource).addClass("start");
      visible = neighbourhood(start, Number(depthChoice.value));
      heading.textContent = `Around ${start.data("label")}`;
    } else if (where.document) {
      documentFilter.value = where.document;
      heading.textContent = "One document's part of the graph";
    } else {
      heading.textContent = "The whole graph";
    }
    if (!showUnasserted.checked) visible = visible.difference(cy.edges(".unasserted"));
    if (documentFilter.value) {
      const doc = documentFilter.value;
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
    layout(cy.elements().not(".hidden"));
    counts.textContent = `${cy.nodes(":visible").length} of ${cy.nodes().length} resources shown.`;
    // Says which filters the graph now shows, so scripts driving the page know when it is done.
    document.body.dataset.filters = `${documentFilter.value}|${crime}`;
  }
  const heading = document.getElementById("place");
  const counts = document.getElementById("shown");
  // A filter widens the view from one resource to the whole graph, then narrows it.
  function filtered() {
    if (place().resource && (documentFilter.value || crimeFilter.value)) {
      history.replaceState(null, "", "#all");
    }
    applyFilters();
  }
  documentFilter.addEventListener("change", filtered);
  crimeFilter.addEventListener("change", filtered);
  depthChoice.addEventListener("change", applyFilters);
  showUnasserted.addEventListener("change", applyFilters);
  window.addEventListener("hashchange", applyFilters);
  document.getElementById("show-all").addEventListener("click", () => {
    documentFilter.value = ""; crimeFilter.value = ""; window.location.hash = "all";
  });

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
    const meta = el("div", `${s.sourceLabel} · `, "meta");
    meta.append(el("span", s.status, `status status-${s.status}`), " · ", claimLink(s.claim, s.claimLabel));
    block.append(meta);
    return block;
  }

  // A claim id, linked to its page on the published site (the view sits beside it, in view/).
  function claimLink(claim, text) {
    const href = data.claimPages[claim] || "";
    if (!href) return el("span", text);
    const link = el("a", text); link.href = href;
    return link;
  }
  function centreLink(id) {
    const link = el("a", "Centre the view here", "centre");
    link.href = "#resource=" + encodeURIComponent(id);
    return link;
  }

  function showNode(node) {
    const d = node.data();
    details.replaceChildren();
    details.append(el("h2", d.label), el("div", d.uri || d.id, "iri"));
    const links = el("p", null, "links");
    links.append(centreLink(d.id));
    if (data.pages[d.id]) {
      const page = el("a", "Its page on the site"); page.href = data.pages[d.id];
      links.append(" · ", page);
    }
    details.append(links);
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
    if (edge.hasClass("unasserted")) {
      details.append(el("p", `Not a plain fact: the claims are ${(d.statuses || []).join(", ")}.`, "status"));
    }
    const claims = el("div", null, "meta");
    for (const claim of d.claims || []) claims.append(claimLink(claim, claim.split("/").pop()), " ");
    details.append(claims);
  }

  // A clicked node's neighbourhood stands out; the rest fades until the background is clicked.
  function focus(elements) {
    cy.batch(() => { cy.elements().addClass("faded"); elements.removeClass("faded"); });
  }
  cy.on("tap", "node", (event) => { focus(event.target.closedNeighborhood()); showNode(event.target); });
  cy.on("tap", "edge", (event) => { focus(event.target.union(event.target.connectedNodes())); showEdge(event.target); });
  cy.on("tap", (event) => { if (event.target === cy) cy.elements().removeClass("faded"); });
  applyFilters();
  document.body.dataset.ready = "true";
})();
