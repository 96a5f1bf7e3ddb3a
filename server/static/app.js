// labelbridge web page. Every value from the user or the data is put in the page as text
// (textContent), never as markup.
"use strict";

const $ = (sel, root = document) => root.querySelector(sel);
let schemes = [];

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
  if ($("#category").value.trim()) product.category = $("#category").value.trim();
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

async function post(path, body) {
  const resp = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const data = await resp.json();
  if (!resp.ok) throw new Error(data.error || `HTTP ${resp.status}`);
  return data;
}

function showError(err) {
  const e = $("#error");
  e.textContent = err ? err.message : "";
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
      tr.append(oc, el("td", m.level), el("td", basisText(m.basis)));
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
      // The reasons, assumptions and caveats of this entry, in a row of their own below it.
      const nr = el("tr", undefined, "notes-row");
      nr.dataset.market = m.market;
      nr.dataset.scheme = m.scheme;
      const td = el("td");
      td.colSpan = 10;
      notes(td, [["Caveats: unconfirmed facts this entry rests on", m.caveats, "caveats"],
        ["Reasons", m.reasons, "reasons"], ["Assumptions", m.assumptions, "assumptions"]]);
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
    $("#status").textContent = `${u.markets.length} markets decided as of ${u.as_of}.`;
  } catch (err) {
    $("#status").textContent = "";
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

async function init() {
  $("#as-of").value = new Date().toISOString().slice(0, 10);
  try {
    const resp = await fetch("/v1/schemes");
    schemes = (await resp.json()).schemes;
  } catch (err) {
    showError(err);
  }
  addLabel("jc-star", "STAR-1");
  $("#add-label").addEventListener("click", () => addLabel());
  $("#query").addEventListener("submit", decide);
  document.body.dataset.ready = "true";
}

document.addEventListener("DOMContentLoaded", init);
