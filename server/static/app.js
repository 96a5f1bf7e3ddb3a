// labelbridge web page. Every value from the user or the data is put in the page as text
// (textContent), never as markup.
"use strict";

const $ = (sel, root = document) => root.querySelector(sel);
let schemes = [];
let categories = [];

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function fillLevels(row) {
  const scheme = schemes.find((s) => s.id === $(".scheme", row).value);
  const level = $(".level", row);
  level.replaceChildren();
  for (const id of scheme ? scheme.levels : []) level.append(new Option(id, id));
}

function addLabel(scheme, level) {
  const row = $("#label-row").content.firstElementChild.cloneNode(true);
  const select = $(".scheme", row);
  for (const s of schemes) if (s.kind === "scheme") select.append(new Option(`${s.id} (${s.market})`, s.id));
  if (scheme) select.value = scheme;
  fillLevels(row);
  if (level) $(".level", row).value = level;
  select.addEventListener("change", () => fillLevels(row));
  $(".remove", row).addEventListener("click", () => row.remove());
  $("#labels").append(row);
  return row;
}

function request() {
  const product = {};
  if ($("#model").value.trim()) product.model = $("#model").value.trim();
  if ($("#category").value) product.category = $("#category").value;
  const labels = [];
  for (const row of document.querySelectorAll(".label-row")) {
    const l = { scheme: $(".scheme", row).value, level: $(".level", row).value };
    if ($(".issued", row).value) l.issued = $(".issued", row).value;
    if ($(".expires", row).value) l.expires = $(".expires", row).value;
    if ($(".status", row).value) l.status = $(".status", row).value;
    labels.push(l);
  }
  // Only what the user filled in: no product object when neither model nor category is given.
  const body = { labels, as_of: $("#as-of").value };
  if (Object.keys(product).length) body.product = product;
  return body;
}

// timelineQuery asks for the changes from the answer's date to the end of the third year after
// it, for the product's category and labels (their expiry too), as a picture.
function timelineQuery(asOf, body) {
  const q = new URLSearchParams({ format: "svg", from: asOf, to: `${Number(asOf.slice(0, 4)) + 3}-12-31` });
  if (body.product && body.product.category) q.set("category", body.product.category);
  for (const l of body.labels) q.append("label", l.expires ? `${l.scheme}:${l.level}@${l.expires}` : `${l.scheme}:${l.level}`);
  return q.toString();
}

async function post(path, body) {
  const resp = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const data = await resp.json();
  if (!resp.ok) {
    const err = new Error(data.error || `HTTP ${resp.status}`);
    err.field = data.field || "";
    throw err;
  }
  return data;
}

// validValues is what the page knows to be valid for the input an error names (the server's
// field): the categories, the schemes, a scheme's levels, the label statuses; null when none.
function validValues(field) {
  if (field === "product.category") return { what: "categories", values: categories.map((c) => c.id) };
  if (field === "target") return { what: "schemes", values: schemes.filter((s) => s.kind === "scheme").map((s) => s.id) };
  const m = /^labels\[(\d+)\]\.(scheme|level|status)$/.exec(field || "");
  if (!m) return null;
  if (m[2] === "scheme") return { what: "schemes", values: schemes.filter((s) => s.kind === "scheme").map((s) => s.id) };
  if (m[2] === "status") return { what: "statuses", values: ["active", "suspended", "revoked"] };
  const row = document.querySelectorAll(".label-row")[Number(m[1])];
  const scheme = row && schemes.find((s) => s.id === $(".scheme", row).value);
  return scheme ? { what: `levels of ${scheme.id}`, values: scheme.levels } : null;
}

function showError(err) {
  const e = $("#error");
  $("#error-text").textContent = err ? err.message : "";
  const valid = $("#error-valid");
  valid.replaceChildren();
  delete valid.dataset.field;
  const v = err && validValues(err.field);
  if (v && v.values.length) {
    valid.dataset.field = err.field;
    valid.append(el("span", `Valid ${v.what}: `));
    const ul = el("ul", undefined, "valid-values");
    for (const id of v.values) ul.append(el("li", id));
    valid.append(ul);
  }
  valid.hidden = !valid.childElementCount;
  e.hidden = !err;
}

// msgItem is one message of an answer ({code, params, message}): its sentence as text, its code as
// a small tag and a title, so a reader can look the code up in the contract.
function msgItem(m) {
  const li = el("li", undefined, "msg");
  li.dataset.code = m.code;
  li.title = m.code;
  li.append(el("span", m.message, "msg-text"), " ", el("code", m.code, "msg-code"));
  return li;
}

// msgList is a titled list of messages, or nothing when there are none.
function msgList(title, msgs, cls) {
  const box = el("div", undefined, `msgs ${cls}`);
  box.dataset.kind = cls;
  box.append(el("h4", `${title} (${msgs.length})`));
  const ul = el("ul");
  for (const m of msgs) ul.append(msgItem(m));
  box.append(ul);
  return box;
}

// notes puts an answer's reasons, assumptions and caveats (unconfirmed facts) into root.
function notes(root, parts) {
  root.replaceChildren();
  for (const [title, msgs, cls] of parts) if (msgs && msgs.length) root.append(msgList(title, msgs, cls));
  if (!root.childElementCount) root.append(el("p", "No reasons, assumptions or caveats.", "hint"));
}

// basisCaveats are the caveats of an entry that name the arrangement its outcome rests on.
function basisCaveats(m) {
  if (!m.basis || !m.basis.arrangement) return [];
  return m.caveats.filter((c) => c.params && c.params.arrangement === m.basis.arrangement);
}

function basisCell(m) {
  const td = el("td", basisText(m.basis), "basis");
  const unconfirmed = basisCaveats(m);
  if (unconfirmed.length) {
    const b = el("span", "unconfirmed basis", "caveat-badge basis-unconfirmed");
    b.title = unconfirmed.map((c) => c.message).join("\n");
    td.append(" ", b);
    td.classList.add("unconfirmed");
  }
  return td;
}

// plural is "1 reason" or "2 reasons".
function plural(n, word) {
  if (n === 1) return `1 ${word}`;
  return `${n} ${word.endsWith("y") ? word.slice(0, -1) + "ies" : word + "s"}`;
}

// why is the collapsed explanation of one entry: its summary counts what opens at a click.
function why(m) {
  const d = el("details", undefined, "why");
  d.dataset.market = m.market;
  d.dataset.scheme = m.scheme;
  const sum = el("summary", `Why ${m.outcome} in ${m.market} (${m.scheme}): ${m.basis ? "basis, " : ""}` +
    `${plural(m.reasons.length, "reason")}, ${plural(m.assumptions.length, "assumption")}, ${plural(m.caveats.length, "caveat")}`);
  d.append(sum);
  const basis = el("p", undefined, "why-basis");
  basis.append(el("strong", "Basis: "), el("span", m.basis ? basisLong(m.basis) : "none", "basis-text"));
  d.append(basis);
  const box = el("div");
  notes(box, [["Caveats: unconfirmed facts this entry rests on", m.caveats, "caveats"],
    ["Reasons: conditions not met", m.reasons, "reasons"], ["Assumptions", m.assumptions, "assumptions"]]);
  d.append(box);
  return d;
}

function caveatBadge(caveats) {
  if (!caveats || !caveats.length) return el("span", "none", "no-caveats");
  const b = el("span", `unconfirmed: ${caveats.length}`, "caveat-badge");
  b.title = caveats.map((c) => c.message).join("\n");
  return b;
}

function labelText(l) {
  return `${l.scheme} ${l.level} #${l.index + 1}${l.id ? " (" + l.id + ")" : ""}`;
}

function basisText(b) {
  if (!b) return "—";
  const label = `${b.label.scheme} ${b.label.level}${b.label.id ? " (" + b.label.id + ")" : ""}`;
  if (!b.arrangement) return `held ${label}`;
  return `${b.instrument}, in force from ${b.effective_from} (${b.kind}) on ${label}`;
}

// basisLong names the arrangement as well: the Why section has the room the table has not.
function basisLong(b) {
  const label = `${labelText(b.label)}`;
  if (!b.arrangement) return `held ${label}`;
  return `${b.arrangement} (${b.kind}): ${b.instrument}, in force from ${b.effective_from}, on the ${label} label`;
}

async function decide(ev) {
  if (ev) ev.preventDefault();
  showError(null);
  $("#status").textContent = "Deciding…";
  try {
    const body = request();
    const u = await post("/v1/unlock", body);
    const tbody = $("#markets tbody");
    tbody.replaceChildren();
    for (const m of u.markets) {
      const tr = el("tr", undefined, "market-row");
      tr.dataset.market = m.market;
      tr.dataset.scheme = m.scheme;
      tr.append(el("td", m.market), el("td", m.scheme), el("td", m.access));
      const oc = el("td");
      oc.append(el("span", m.outcome, `outcome outcome-${m.outcome}`));
      tr.append(oc, el("td", m.level), basisCell(m));
      tr.append(el("td", m.route.length ? m.route.map((s) => `${s.action} ${s.scheme} ${s.level}`).join(" → ") : "—"));
      tr.append(el("td", m.later.length ? m.later.map((c) => `from ${c.date}: ${c.outcome} ${c.level}, ${c.access} (${c.reason.message})`).join("; ") : "—"));
      const gapCell = el("td");
      const btn = el("button", `Gap for ${m.scheme}`);
      btn.type = "button";
      btn.className = "gap-button";
      btn.dataset.scheme = m.scheme;
      btn.setAttribute("aria-controls", "gap-section");
      btn.addEventListener("click", () => gap(m.scheme, body));
      gapCell.append(btn);
      const cav = el("td", undefined, "caveats-cell");
      cav.append(caveatBadge(m.caveats));
      tr.append(gapCell, cav);
      if (m.caveats.length) tr.classList.add("has-caveats");
      // Why: the basis, reasons, assumptions and caveats of this entry, collapsed in a row of
      // their own below it.
      const nr = el("tr", undefined, "notes-row");
      nr.dataset.market = m.market;
      nr.dataset.scheme = m.scheme;
      const td = el("td");
      td.colSpan = 10;
      td.append(why(m));
      nr.append(td);
      tbody.append(tr, nr);
    }
    const labels = $("#labels-answer");
    labels.replaceChildren();
    for (const l of u.labels) {
      const li = el("li", undefined, "label-answer");
      li.dataset.index = l.index;
      li.append(el("span", `${labelText(l)}: ${l.state}`, "label-state"));
      if (l.assumptions.length) {
        const ul = el("ul", undefined, "assumptions");
        for (const m of l.assumptions) ul.append(msgItem(m));
        li.append(ul);
      }
      labels.append(li);
    }
    if (!u.labels.length) labels.append(el("li", "No labels given.", "hint"));
    $("#markets-caption").textContent = `As of ${u.as_of}; data revision ${u.data_revision}.`;
    $("#markets-section").hidden = false;
    $("#graph").src = `/v1/graph.svg?as_of=${encodeURIComponent(u.as_of)}`;
    $("#graph").alt = `Recognition graph between the label schemes as of ${u.as_of}`;
    $("#timeline").src = `/v1/changes?${timelineQuery(u.as_of, body)}`;
    $("#timeline").alt = `Timeline of the dated changes from ${u.as_of}, with this product's labels`;
    $("#status").textContent = `${u.markets.length} markets decided as of ${u.as_of}.`;
  } catch (err) {
    // No answer to this request: the last one's markets and gap report would read as its.
    $("#status").textContent = "";
    $("#markets-section").hidden = true;
    $("#gap-section").hidden = true;
    showError(err);
  }
  count("answers");
}

// count marks on the body that one more answer (or error) has been shown, for tests to wait on.
function count(what) {
  document.body.dataset[what] = String(Number(document.body.dataset[what] || 0) + 1);
}

async function gap(scheme, body) {
  showError(null);
  try {
    const g = await post("/v1/gap", Object.assign({}, body, { target: scheme }));
    $("#gap-title").textContent = `Gap report against ${g.target.scheme} ${g.target.level} (${g.assessment})`;
    const dl = $("#gap-summary");
    dl.replaceChildren();
    for (const k of ["total", "covered", "partial", "missing", "unmapped", "unknown"]) {
      const d = el("div");
      const dd = el("dd", g.summary[k]);
      dd.dataset.count = k;
      d.append(el("dt", k), dd);
      dl.append(d);
    }
    notes($("#gap-notes"), [["Caveats: unconfirmed facts this report rests on", g.caveats, "caveats"],
      ["Assumptions", g.assumptions, "assumptions"]]);
    const tbody = $("#gap tbody");
    tbody.replaceChildren();
    for (const r of g.requirements) {
      const tr = el("tr", undefined, r.status);
      const by = r.covered_by.map((c) => c.arrangement ? `arrangement ${c.arrangement}` : `${c.label.scheme} ${c.label.level} ${c.requirement}`);
      tr.append(el("td", r.id), el("td", r.title), el("td", r.status), el("td", r.provisions.join(" ") || "—"),
        el("td", by.join(", ") || "—"), el("td", r.note ? r.note.message : ""));
      tbody.append(tr);
    }
    $("#gap-section").hidden = false;
    $("#gap-title").scrollIntoView();
  } catch (err) {
    showError(err);
  }
  count("gaps");
}

// categoryMatches: the categories whose id, other names or description contain the filter.
function categoryMatches(filter) {
  const f = filter.trim().toLowerCase();
  if (!f) return categories;
  return categories.filter((c) => [c.id, c.description, ...c.synonyms].some((t) => t.toLowerCase().includes(f)));
}

// fillCategories offers the categories that match the filter; the chosen one stays chosen while
// it matches, else the first match is chosen (typing "modem" chooses router).
function fillCategories() {
  const select = $("#category");
  const chosen = select.value;
  const filter = $("#category-filter").value;
  const matches = categoryMatches(filter);
  select.replaceChildren(new Option("(not given)", ""));
  for (const c of matches) {
    const o = new Option(`${c.id} — ${c.description}`, c.id);
    if (c.synonyms.length) o.title = `also: ${c.synonyms.join(", ")}`;
    select.append(o);
  }
  if (matches.some((c) => c.id === chosen)) select.value = chosen;
  else if (filter.trim() && matches.length) select.value = matches[0].id;
  else select.value = "";
  aboutCategory(filter.trim() ? `${plural(matches.length, "category")} of ${categories.length} match "${filter.trim()}". ` : "");
}

// aboutCategory describes the chosen category: its description and other names.
function aboutCategory(prefix = "") {
  const c = categories.find((c) => c.id === $("#category").value);
  let text = prefix;
  if (c) text += `${c.id}: ${c.description}.${c.synonyms.length ? " Also called: " + c.synonyms.join(", ") + "." : ""}${c.confirmed ? "" : " (unconfirmed)"}`;
  else if (!prefix) text = `${plural(categories.length, "category")} in the vocabulary; none chosen.`;
  $("#category-about").textContent = text;
}

async function getJSON(path) {
  const resp = await fetch(path);
  if (!resp.ok) throw new Error(`${path}: HTTP ${resp.status}`);
  return resp.json();
}

async function init() {
  $("#as-of").value = new Date().toISOString().slice(0, 10);
  try {
    schemes = (await getJSON("/v1/schemes")).schemes;
    categories = (await getJSON("/v1/categories")).categories;
  } catch (err) {
    showError(err);
  }
  fillCategories();
  $("#category-filter").addEventListener("input", fillCategories);
  $("#category").addEventListener("change", () => aboutCategory());
  addLabel("jc-star", "STAR-1");
  $("#add-label").addEventListener("click", () => addLabel());
  $("#query").addEventListener("submit", decide);
  document.body.dataset.ready = "true";
}

document.addEventListener("DOMContentLoaded", init);
