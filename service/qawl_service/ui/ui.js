// Qawl analyst page: one article -> POST /v1/analyze; several -> POST /v1/story.
// Plain browser JavaScript, no build step, no dependency. Every piece of text that came from the user
// or the service is put into the page with textContent / createTextNode / setAttribute, never as HTML.
//
// Offsets in the API are Unicode code points into the submitted text. JavaScript strings index UTF-16
// code units (an emoji is two), so the renderer works on Array.from(text), one element per code point.
"use strict";

(() => {
  const API = "/v1";
  const FEATURES = ["entities", "quotes", "stance"];
  const LABELS = { PER: "person", ORG: "organization", LOC: "location", MISC: "other name" };
  const KINDS = { direct: "direct", indirect: "indirect", mixed: "mixed" };
  const KEY_CHARS = /^[\x21-\x7e]+$/; // what the service accepts as a key (api/auth.py)

  const $ = (id) => document.getElementById(id);

  // ---------------------------------------------------------------------------- DOM helpers

  /** An element: el("span", {class: "a b", title: "t", data: {x: "1"}, text: "..."}, child, ...). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "text") node.textContent = String(value);
      else if (name === "class") node.className = Array.isArray(value) ? value.join(" ") : value;
      else if (name === "data") for (const [k, v] of Object.entries(value)) node.dataset[k] = String(v);
      else if (name === "on") for (const [k, v] of Object.entries(value)) node.addEventListener(k, v);
      else node.setAttribute(name, String(value));
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    for (const child of children.flat(Infinity)) {  // lists of [separator, node] pairs nest
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(typeof child === "string" || typeof child === "number"
        ? document.createTextNode(String(child)) : child);
    }
    return node;
  }

  /** Arabic text inside the (left-to-right) page chrome. */
  const ar = (text, cls) => el("span", { class: cls, dir: "rtl", lang: "ar", text });

  const plural = (n, one, many) => `${n} ${n === 1 ? one : many || one + "s"}`;

  // ---------------------------------------------------------------------------- spans -> DOM

  /**
   * Render `text` into `container` with the spans marked. A span is
   * {start, end, rank, cls, data?, title?}: code-point offsets, and rank orders nesting (lower is
   * outer). Spans that cross are split where they cross, so every element holds exactly the text of
   * (its part of) its span. The first element of a span gets the class "first".
   * Returns the number of spans that did not fit the text (offsets out of range, or `expect` given
   * and not equal to the text they slice).
   */
  function renderSpans(container, text, spans) {
    const cps = Array.from(text); // one entry per code point: API offsets index this
    const n = cps.length;
    let bad = 0;
    const valid = [];
    spans.forEach((s, order) => {
      const ok = Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.end <= n
        && s.start < s.end && (s.expect === undefined || cps.slice(s.start, s.end).join("") === s.expect);
      if (ok) valid.push({ ...s, order, made: 0 });
      else bad += 1;
    });
    const cmp = (a, b) => a.rank - b.rank || a.start - b.start || b.end - a.end || a.order - b.order;
    const points = [...new Set([0, n, ...valid.flatMap((s) => [s.start, s.end])])].sort((a, b) => a - b);
    const startsAt = new Map();
    for (const s of valid) {
      if (!startsAt.has(s.start)) startsAt.set(s.start, []);
      startsAt.get(s.start).push(s);
    }
    let active = [];
    let open = []; // [{span, node}], outermost first
    container.replaceChildren();
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i];
      const b = points[i + 1];
      active = active.filter((s) => s.end > a).concat(startsAt.get(a) || []);
      const chain = active.slice().sort(cmp);
      let keep = 0;
      while (keep < open.length && keep < chain.length && open[keep].span === chain[keep]) keep++;
      open = open.slice(0, keep);
      for (let j = keep; j < chain.length; j++) {
        const span = chain[j];
        const node = el(span.tag || "span", {
          class: [...span.cls, span.made === 0 ? "first" : null].filter(Boolean),
          title: span.title,
          data: span.data,
        });
        span.made += 1;
        (j === 0 ? container : open[j - 1].node).appendChild(node);
        open.push({ span, node });
      }
      const parent = open.length ? open[open.length - 1].node : container;
      parent.appendChild(document.createTextNode(cps.slice(a, b).join("")));
    }
    return bad;
  }

  // ---------------------------------------------------------------------------- the article boxes

  let boxCounter = 0;

  function articleBoxes() {
    return Array.from($("articles").querySelectorAll(".article-text"));
  }

  function relabel() {
    const items = Array.from($("articles").children);
    items.forEach((item, i) => {
      item.querySelector(".article-label").textContent = `Article ${i + 1}`;
      item.querySelector(".remove").disabled = items.length === 1;
    });
  }

  function addArticle(text) {
    const item = $("article-template").content.firstElementChild.cloneNode(true);
    const area = item.querySelector(".article-text");
    boxCounter += 1;
    area.id = `article-text-${boxCounter}`;
    area.value = text || "";
    item.querySelector(".article-label").htmlFor = area.id;
    item.querySelector(".remove").addEventListener("click", () => {
      if ($("articles").children.length > 1) item.remove();
      relabel();
    });
    $("articles").appendChild(item);
    relabel();
    return area;
  }

  // ---------------------------------------------------------------------------- calling the API

  class ApiProblem extends Error {
    constructor(problem) {
      super(problem.title);
      this.problem = problem;
    }
  }

  async function call(path, body) {
    const headers = { "Content-Type": "application/json", Accept: "application/json, application/problem+json" };
    const key = $("key").value.trim();
    if (key) {
      if (!KEY_CHARS.test(key)) {
        throw new ApiProblem({
          title: "Invalid API key",
          detail: "An API key is visible ASCII characters only, without spaces; check what was pasted.",
          field: "key",
        });
      }
      headers.Authorization = `Bearer ${key}`;
    }
    let resp;
    try {
      resp = await fetch(API + path, {
        method: "POST", headers, body: JSON.stringify(body),
        cache: "no-store", credentials: "omit", referrerPolicy: "no-referrer",
      });
    } catch (err) {
      throw new ApiProblem({
        title: "The service could not be reached",
        detail: `${err && err.message ? err.message : err}. Is it still running?`,
      });
    }
    let data = null;
    if ((resp.headers.get("content-type") || "").includes("json")) {
      try { data = await resp.json(); } catch (_) { data = null; }
    }
    if (!resp.ok) {
      const problem = data && typeof data === "object" && typeof data.title === "string"
        ? { ...data, status: resp.status }
        : { status: resp.status, title: resp.statusText || `HTTP ${resp.status}`,
            detail: "The service answered with an error and no problem details." };
      problem.path = path;
      const retry = resp.headers.get("retry-after");
      if (retry) problem.retryAfter = retry;
      throw new ApiProblem(problem);
    }
    if (data === null || typeof data !== "object") {
      throw new ApiProblem({ title: "Unexpected answer", detail: "The service did not answer with JSON." });
    }
    return data;
  }

  // ---------------------------------------------------------------------------- problems

  let submitted = []; // the documents of the last request: [{id, text, box}]

  function docLabel(id) {
    const doc = submitted.find((d) => d.id === id);
    return doc ? `Article ${doc.box + 1}` : String(id);
  }

  /** "documents[2].text" -> "Article 4 (documents[2].text)"; "text" -> "Article 1 (text)". */
  function describeField(field) {
    const m = /^documents\[(\d+)\]/.exec(field);
    const doc = m ? submitted[Number(m[1])] : field === "text" && submitted.length === 1 ? submitted[0] : null;
    if (field === "key") return "the API key field";
    if (field === "targets" || /^targets\[/.test(field)) return `stance targets (${field})`;
    return doc ? `Article ${doc.box + 1} (${field})` : field;
  }

  function problemNodes(p) {
    const head = el("p", { class: "problem-title" }, el("strong", { text: p.title || "Error" }),
      p.status ? el("span", { class: "problem-status", text: ` HTTP ${p.status}` }) : null);
    return [
      head,
      p.detail ? el("p", { class: "problem-detail", text: p.detail }) : null,
      p.field ? el("p", { class: "problem-field", text: `Where: ${describeField(p.field)}` }) : null,
      p.retryAfter ? el("p", { class: "problem-retry", text: `Retry in ${p.retryAfter} s.` }) : null,
    ];
  }

  /** A story document's error: problem details, or whatever else the service sent. */
  function docError(error) {
    if (error && typeof error === "object" && typeof error.title === "string") return error;
    return { title: "Not analyzed", detail: error ? String(error) : null };
  }

  function showProblem(p) {
    const box = $("problem");
    box.replaceChildren(...problemNodes(p).filter(Boolean));
    box.hidden = false;
  }

  function clearProblem() {
    $("problem").hidden = true;
    $("problem").replaceChildren();
  }

  // ---------------------------------------------------------------------------- shared view parts

  function legend() {
    return el("div", { class: "legend", "aria-label": "Legend" },
      Object.entries(LABELS).map(([label, name]) =>
        el("span", { class: ["legend-item", "ent", `ent-${label}`], text: `${label} ${name}` })),
      el("span", { class: "legend-item quote", text: "quote" }),
      el("span", { class: "legend-item hl", text: "selected evidence" }));
  }

  function labelTag(label) {
    return el("span", { class: ["tag", `tag-${label}`], text: label, title: LABELS[label] || label });
  }

  function stanceTag(label) {
    return el("span", { class: ["tag", `stance-${label}`], text: label });
  }

  /** A titled block of the results, open; its title folds it away (a long list of statements). */
  function section(title, count, ...children) {
    return el("details", { class: "block", open: "" },
      el("summary", {}, el("h3", {}, title, el("span", { class: "count", text: ` ${count}` }))),
      ...children);
  }

  function emptyNote(text) {
    return el("p", { class: "empty", text });
  }

  /**
   * A rendered view: documents drawn with their base spans plus the current selection. `select(key,
   * ranges)` highlights ranges ({doc, start, end, text}) and marks the list items of `key`.
   */
  function makeView(root, baseSpans) {
    const panes = new Map(); // doc id -> {node, text}
    let selected = null;
    let mismatched = 0;

    function draw(docId) {
      const pane = panes.get(docId);
      const spans = baseSpans(docId).slice();
      if (selected) {
        for (const r of selected.ranges) {
          if (r.doc !== docId) continue;
          spans.push({ start: r.start, end: r.end, expect: r.text, rank: 0, cls: r.cls || ["hl"] });
        }
      }
      return renderSpans(pane.node, pane.text, spans);
    }

    function addPane(docId, text, node) {
      panes.set(docId, { text, node });
      mismatched += draw(docId);
    }

    function select(key, ranges) {
      const again = selected && selected.key === key;
      const before = selected;
      selected = again ? null : { key, ranges };
      const touched = new Set([...(before ? before.ranges : []), ...ranges].map((r) => r.doc));
      for (const docId of touched) if (panes.has(docId)) draw(docId);
      for (const item of root.querySelectorAll(".item.selected")) {
        item.classList.remove("selected");
        item.setAttribute("aria-pressed", "false");
      }
      if (selected) {
        for (const item of root.querySelectorAll(".item")) {
          if (item.dataset.key === key) {
            item.classList.add("selected");
            item.setAttribute("aria-pressed", "true");
          }
        }
        const first = root.querySelector(".doc .hl");
        if (first) first.scrollIntoView({ block: "center" });
      }
    }

    /** A clickable list item that selects `ranges`. */
    function item(key, ranges, cls, ...children) {
      return el("button", {
        type: "button", class: ["item", cls], "aria-pressed": "false", data: { key },
        on: { click: () => select(key, ranges) },
      }, ...children);
    }

    return { addPane, select, item, mismatched: () => mismatched };
  }

  function mismatchNote(count) {
    return count ? el("p", { class: "warning", text:
      `${plural(count, "span")} of the answer did not match the text and ${count === 1 ? "is" : "are"} not shown.` })
      : null;
  }

  // ---------------------------------------------------------------------------- one article

  function renderArticle(doc, res) {
    const entities = res.entities || [];
    const quotes = res.quotes || [];
    const stances = res.stances || [];

    const spans = [];
    for (const e of entities) {
      for (const m of e.mentions) {
        spans.push({ start: m.start, end: m.end, expect: m.text, rank: 2, cls: ["ent", `ent-${e.label}`],
          data: { entity: e.id, label: e.label }, title: `${e.name} · ${LABELS[e.label] || e.label}` });
      }
    }
    for (const q of quotes) {
      const speaker = q.speaker ? q.speaker.name : "unknown speaker";
      spans.push({ start: q.content.start, end: q.content.end, expect: q.content.text, rank: 1,
        cls: ["quote", `quote-${q.kind}`], data: { quote: q.id, speaker },
        title: `${speaker} · ${KINDS[q.kind] || q.kind} quote` });
      const sm = q.speaker && q.speaker.mention;
      if (sm) spans.push({ start: sm.start, end: sm.end, expect: sm.text, rank: 3, cls: ["speaker"], data: { quote: q.id } });
    }

    const root = el("div", { class: "view single", data: { view: "article" } });
    const view = makeView(root, () => spans);
    const docNode = el("div", { class: "doc", id: `doc-${doc.id}`, dir: "rtl", lang: "ar", data: { doc: doc.id } });

    const quoteItems = quotes.map((q) => view.item(`quote:${q.id}`,
      [{ doc: doc.id, ...q.content }], "quote-item",
      el("span", { class: "who" }, q.speaker ? ar(q.speaker.name) : el("em", { text: "unknown speaker" })),
      el("span", { class: ["tag", "kind"], text: KINDS[q.kind] || q.kind }),
      el("span", { class: "what" }, ar(q.content.text))));

    const stanceItems = stances.map((s, i) => {
      const ranges = [{ doc: doc.id, ...s.evidence }];
      if (s.target.mention) ranges.push({ doc: doc.id, ...s.target.mention, cls: ["hl", "hl-target"] });
      return view.item(`stance:${i}`, ranges, "stance-item",
        el("span", { class: "who" }, ar(s.holder.name)), el("span", { class: "arrow", text: " → " }),
        el("span", { class: "target" }, ar(s.target.text)), " ", stanceTag(s.label),
        el("span", { class: "what" }, ar(s.evidence.text)));
    });

    const groups = ["PER", "ORG", "LOC", "MISC"].map((label) => {
      const list = entities.filter((e) => e.label === label);
      return list.length ? el("div", { class: "ent-group" }, labelTag(label), ...list.map((e) =>
        view.item(`entity:${e.id}`, e.mentions.map((m) => ({ doc: doc.id, ...m })), "entity-item",
          ar(e.name), el("span", { class: "count", text: ` ×${e.mentions.length}` })))) : null;
    });

    const aside = el("aside", { class: "panel" },
      section("Stances", stances.length, stanceItems.length ? stanceItems : emptyNote("No stance found."),
        stances.length ? el("p", { class: "hint", text: "Click a stance to highlight its evidence." }) : null),
      section("Quotes", quotes.length, quoteItems.length ? quoteItems : emptyNote("No quote found.")),
      section("Entities", entities.length, entities.length ? groups : emptyNote("No entity found.")));

    append(root, [
      el("h2", {}, `Article ${doc.box + 1}`, el("span", { class: "model", text: ` · model ${res.model || "?"}` })),
      legend(),
      el("div", { class: "layout" }, el("article", { class: "doc-pane" }, docNode), aside),
    ]);
    view.addPane(doc.id, doc.text, docNode);
    const note = mismatchNote(view.mismatched());
    if (note) root.insertBefore(note, root.children[1]);
    return root;
  }

  // ---------------------------------------------------------------------------- the story

  function renderStory(docs, res) {
    const entities = res.entities || [];
    const statements = res.statements || [];
    const stances = res.stances || [];
    const status = new Map((res.documents || []).map((d) => [d.id, d]));

    const spansByDoc = new Map(docs.map((d) => [d.id, []]));
    const push = (docId, span) => { if (spansByDoc.has(docId)) spansByDoc.get(docId).push(span); };
    for (const e of entities) {
      for (const m of e.mentions) {
        push(m.doc, { start: m.start, end: m.end, expect: m.text, rank: 2, cls: ["ent", `ent-${e.label}`],
          data: { entity: e.id, label: e.label }, title: `${e.name} · ${LABELS[e.label] || e.label}` });
      }
    }
    for (const st of statements) {
      const speaker = st.speaker ? st.speaker.name : "unknown speaker";
      for (const src of st.sources) {
        push(src.doc, { start: src.start, end: src.end, expect: src.text, rank: 1,
          cls: ["quote", `quote-${src.kind}`], data: { statement: st.id, speaker },
          title: `${speaker} · ${st.id}` });
      }
    }

    const root = el("div", { class: "view story", data: { view: "story" } });
    const view = makeView(root, (docId) => spansByDoc.get(docId) || []);

    const sourceList = (key, sources, withKind) => el("ul", { class: "sources" }, sources.map((src, i) =>
      el("li", {}, view.item(`${key}:src:${i}`, [{ doc: src.doc, start: src.start, end: src.end, text: src.text }],
        "source-item",
        el("span", { class: "src-doc", text: docLabel(src.doc) }),
        withKind && src.kind ? el("span", { class: ["tag", "kind"], text: KINDS[src.kind] || src.kind }) : null,
        el("span", { class: "what" }, ar(src.text))))));

    const docCount = (e) => new Set(e.mentions.map((m) => m.doc)).size;
    const actors = entities.map((e) => {
      const variants = (e.variants || []).filter((v) => v !== e.name);
      const n = docCount(e);
      return el("li", { class: "actor", data: { entity: e.id, docs: n } },
        view.item(`entity:${e.id}`, e.mentions.map((m) => ({ doc: m.doc, start: m.start, end: m.end, text: m.text })),
          "actor-item",
          labelTag(e.label), " ", ar(e.name, "actor-name"),
          el("span", { class: "count", text: ` ${plural(n, "article")}, ${plural(e.mentions.length, "mention")}` }),
          variants.length ? el("span", { class: "variants" }, "also: ",
            variants.map((v, i) => [i ? " · " : null, ar(v)])) : null));
    });

    const statementItems = statements.map((st) => el("li", { class: "statement", data: { statement: st.id } },
      el("p", { class: "statement-head" },
        st.speaker ? ar(st.speaker.name, "who") : el("em", { class: "who", text: "unknown speaker" }),
        el("span", { class: "count", text: ` · ${plural(st.sources.length, "source")}` })),
      el("p", { class: "summary" }, ar(st.summary)),
      sourceList(`statement:${st.id}`, st.sources, true)));

    const stanceItems = stances.map((s, i) => el("li", { class: "story-stance" },
      el("p", { class: "statement-head" }, ar(s.holder.name, "who"), el("span", { class: "arrow", text: " → " }),
        ar(s.target.text, "target"), " ", stanceTag(s.label),
        el("span", { class: "count", text: ` · ${plural(s.sources.length, "source")}` })),
      sourceList(`stance:${i}`, s.sources, false)));

    const failed = (res.documents || []).filter((d) => !d.ok);
    const docPanes = docs.map((d) => {
      const st = status.get(d.id);
      const node = el("div", { class: "doc", id: `doc-${d.id}`, dir: "rtl", lang: "ar", data: { doc: d.id } });
      const pane = el("article", { class: ["doc-pane", st && !st.ok ? "failed" : null].filter(Boolean) },
        el("h3", { text: docLabel(d.id) }),
        st && !st.ok ? el("div", { class: "problem" }, problemNodes(docError(st.error))) : null,
        node);
      return { d, node, pane };
    });

    append(root, [
      el("h2", {}, `Story of ${plural(docs.length, "article")}`,
        el("span", { class: "model", text: ` · model ${res.model || "?"}` })),
      failed.length ? el("p", { class: "warning", text: `${failed.map((d) => docLabel(d.id)).join(", ")} could `
        + `not be analyzed and ${failed.length === 1 ? "is" : "are"} left out of the story (see below).` }) : null,
      legend(),
      el("div", { class: "story-layout" },
        el("div", { class: "story-lists scroll" },
          section("Actors", entities.length, actors.length ? el("ul", { class: "actors" }, actors) : emptyNote("No entity found.")),
          section("Statements", statements.length,
            statements.length ? el("p", { class: "hint", text: "Click a source to highlight it in its article." }) : null,
            statements.length ? el("ol", { class: "statements" }, statementItems) : emptyNote("No statement found.")),
          section("Stances", stances.length,
            stances.length ? el("ol", { class: "stances" }, stanceItems) : emptyNote("No stance found."))),
        el("div", { class: "docs scroll", "aria-label": "Articles" }, docPanes.map((p) => p.pane))),
    ]);
    for (const { d, node } of docPanes) view.addPane(d.id, d.text, node);
    const note = mismatchNote(view.mismatched());
    if (note) root.insertBefore(note, root.children[1]);
    return root;
  }

  // ---------------------------------------------------------------------------- analyze

  function setState(state, message) {
    document.body.dataset.state = state;
    $("status").textContent = message || "";
    $("analyze").disabled = state === "busy";
    $("results").setAttribute("aria-busy", state === "busy" ? "true" : "false");
  }

  function targets() {
    const lines = $("targets").value.split("\n").map((t) => t.trim()).filter(Boolean);
    return lines.length ? lines : null;
  }

  async function analyze() {
    clearProblem();
    submitted = articleBoxes()
      .map((area, box) => ({ id: `article-${box + 1}`, text: area.value, box }))
      .filter((d) => d.text.trim());
    if (!submitted.length) {
      showProblem({ title: "Nothing to analyze", detail: "Paste an article into a box first." });
      setState("error");
      return;
    }
    const docs = submitted.slice();
    const results = $("results");
    setState("busy", docs.length === 1 ? "Analyzing the article…" : `Analyzing ${docs.length} articles as one story…`);
    const started = performance.now();
    try {
      let view;
      if (docs.length === 1) {
        const [doc] = docs;
        const res = await call("/analyze", { text: doc.text, id: doc.id, features: FEATURES, targets: targets() });
        view = renderArticle(doc, res);
      } else {
        let res;
        try {
          res = await call("/story", { documents: docs.map(({ id, text }) => ({ id, text })), targets: targets() });
        } catch (err) {
          if (err instanceof ApiProblem && err.problem.status === 404 && !err.problem.field) {
            err.problem.title = "This service has no story view";
            err.problem.detail = "POST /v1/story is not there (an older service). Analyze one article at a time.";
          }
          throw err;
        }
        view = renderStory(docs, res);
      }
      results.replaceChildren(view);
      results.hidden = false;
      setState("done", `Done in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
    } catch (err) {
      showProblem(err instanceof ApiProblem ? err.problem
        : { title: "The page failed", detail: String(err && err.stack ? err.stack : err) });
      setState("error");
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    addArticle("");
    $("add").addEventListener("click", () => addArticle("").focus());
    $("analyze").addEventListener("click", analyze);
    document.addEventListener("keydown", (event) => { // Ctrl+Enter (⌘+Enter) in any field analyzes
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && !$("analyze").disabled) analyze();
    });
    setState("idle");
  });
})();
