// labelbridge web page: the plan view. The target markets are check boxes; the plan is asked of
// POST /v1/plan with the product and labels of the page's form, and shown as a list of steps and a
// picture (the steps on a time axis, an arrow from the label each rests on). Every value is put in
// the page as text (textContent) or as an SVG attribute, never as markup.
"use strict";

(() => {
  const q = (sel, root = document) => root.querySelector(sel);
  const SVG = "http://www.w3.org/2000/svg";

  function node(tag, text, attrs) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    return e;
  }

  function svgNode(tag, attrs, text) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = String(text);
    return e;
  }

  // The product and labels as the page's form holds them (the same document /v1/unlock is sent).
  function documentOfForm() {
    const product = {};
    const model = q("#model"), category = q("#category");
    if (model && model.value.trim()) product.model = model.value.trim();
    if (category && category.value.trim()) product.category = category.value.trim();
    const labels = [];
    for (const row of document.querySelectorAll(".label-row")) {
      const l = { scheme: q(".scheme", row).value, level: q(".level", row).value };
      for (const f of ["issued", "expires", "status"]) {
        const input = q("." + f, row);
        if (input && input.value) l[f] = input.value;
      }
      labels.push(l);
    }
    const body = { labels };
    const asOf = q("#as-of");
    if (asOf && asOf.value) body.as_of = asOf.value;
    if (Object.keys(product).length) body.product = product;
    return body;
  }

  function stepText(s) {
    switch (s.kind) {
      case "assessment": return `${s.assessment} assessment of ${s.scheme} ${s.level}`;
      case "application": return `apply for ${s.scheme} ${s.level} (${s.arrangement_kind}) under ${s.arrangement}`;
      case "deemed": return `${s.scheme} ${s.level} deemed under ${s.instrument}`;
      default: return `hold ${s.scheme} ${s.level}`;
    }
  }

  const day = (d) => Date.parse(d + "T00:00:00Z") / 86400000;

  // The picture: one row per step at its date, an arrow from the step it rests on.
  function picture(answer) {
    const steps = answer.plan ? answer.plan.steps : [];
    const width = 760, left = 10, boxW = 230, boxH = 30, row = 42, top = 40;
    let end = answer.by;
    for (const s of steps) if (s.date > end) end = s.date;
    const from = day(answer.as_of), span = Math.max(day(end) - from, 1), axis = width - left * 2 - boxW;
    const x = (d) => left + ((day(d) - from) / span) * axis;
    const y = (i) => top + i * row;
    const svg = svgNode("svg", { viewBox: `0 0 ${width} ${top + steps.length * row + 10}`, width, role: "img", "aria-label": "The plan's steps on a time axis" });
    svg.append(svgNode("line", { x1: left, y1: top - 12, x2: left + axis, y2: top - 12, stroke: "#999" }));
    for (const d of new Set([answer.as_of, ...steps.map((s) => s.date), end])) {
      svg.append(svgNode("text", { x: x(d), y: top - 18, "font-size": 10, fill: "#555" }, d));
    }
    const index = new Map(steps.map((s, i) => [s.n, i]));
    steps.forEach((s, i) => {
      if (!s.rests_on || !index.has(s.rests_on.step)) return;
      const j = index.get(s.rests_on.step), f = steps[j];
      svg.append(svgNode("path", { d: `M ${x(f.date) + 12} ${y(j) + boxH} C ${x(f.date) + 12} ${y(i) + boxH / 2}, ${x(s.date) - 20} ${y(i) + boxH / 2}, ${x(s.date)} ${y(i) + boxH / 2}`, fill: "none", stroke: "#555", "data-rests-on": `${s.n}:${f.n}` }));
    });
    const fill = { held: "#e3f4e1", assessment: "#fbe0e0", application: "#fff4d6", deemed: "#eceaf6" };
    steps.forEach((s, i) => {
      const g = svgNode("g", { "data-step": s.n });
      g.append(svgNode("rect", { x: x(s.date), y: y(i), width: boxW, height: boxH, rx: 4, fill: fill[s.kind] || "#fff", stroke: "#777" }));
      g.append(svgNode("text", { x: x(s.date) + 5, y: y(i) + 13, "font-size": 11 }, `${s.n}. ${stepText(s)}`.slice(0, 42)));
      g.append(svgNode("text", { x: x(s.date) + 5, y: y(i) + 25, "font-size": 10, fill: "#444" }, s.date + (s.opens.length ? " · opens " + s.opens.join(", ") : "")));
      svg.append(g);
    });
    return svg;
  }

  function show(answer, out) {
    out.replaceChildren();
    if (answer.plan) {
      const c = answer.plan.cost;
      out.append(node("p", `${c.third_party} third-party and ${c.self_declared} self-declared assessment(s), ${c.applications} application(s); the last target reached on ${c.reached || answer.as_of}.`));
      const ol = node("ol", undefined, { id: "plan-steps" });
      for (const s of answer.plan.steps) {
        const li = node("li", `${s.date}: ${stepText(s)}`);
        li.dataset.kind = s.kind;
        if (s.rests_on) li.append(node("span", ` (rests on step ${s.rests_on.step})`));
        if (s.opens.length) li.append(node("span", ` · opens ${s.opens.join(", ")}`));
        ol.append(li);
      }
      out.append(ol, picture(answer));
    } else {
      out.append(node("p", "No plan reaches the targets."));
    }
    if (answer.unreachable.length) {
      out.append(node("h3", `Unreachable by ${answer.by}`));
      const ul = node("ul", undefined, { id: "plan-unreachable" });
      for (const u of answer.unreachable) {
        ul.append(node("li", `${u.market}: ${u.reasons.map((r) => r.message).join("; ")}` + (u.first_date ? ` (first reachable from ${u.first_date})` : "")));
      }
      out.append(ul);
    }
  }

  async function init() {
    const section = node("section", undefined, { id: "plan-section", "aria-labelledby": "plan-title" });
    section.append(node("h2", "Plan: reach markets by a date", { id: "plan-title" }));
    const form = node("form", undefined, { id: "plan-form" });
    const boxes = node("fieldset");
    boxes.append(node("legend", "Target markets"));
    const by = node("input", undefined, { type: "date", id: "plan-by", name: "by" });
    const byLabel = node("label", "By ", { for: "plan-by" });
    const submit = node("button", "Plan", { type: "submit", id: "plan-submit" });
    const out = node("div", undefined, { id: "plan-answer", "aria-live": "polite" });
    form.append(boxes, byLabel, by, " ", submit);
    section.append(form, out);
    const graph = q("#graph-section");
    if (graph) graph.before(section); else document.body.append(section);

    const resp = await fetch("/v1/schemes");
    const data = await resp.json();
    const markets = [...new Set((data.schemes || []).map((s) => s.market).filter((m) => m))].sort();
    for (const m of markets) {
      const id = `plan-market-${m}`;
      const box = node("input", undefined, { type: "checkbox", id, value: m, class: "plan-market" });
      boxes.append(box, node("label", m, { for: id }), " ");
    }
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const targets = [...document.querySelectorAll(".plan-market:checked")].map((b) => b.value);
      out.replaceChildren(node("p", targets.length ? "Planning…" : "Choose at least one target market."));
      if (!targets.length) return;
      const params = new URLSearchParams({ targets: targets.join(",") });
      if (by.value) params.set("by", by.value);
      try {
        const r = await fetch(`/v1/plan?${params}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(documentOfForm()) });
        const answer = await r.json();
        if (!r.ok) throw new Error(answer.error || `HTTP ${r.status}`);
        show(answer, out);
      } catch (err) {
        out.replaceChildren(node("p", err.message, { role: "alert", class: "error" }));
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
