/**
 * The court report and the handover record as self-contained, printable (A4) HTML: no external
 * resource of any kind — styles inline, no scripts, no fonts, no images. Every value from a bundle
 * is attacker-controlled text and is escaped. Pure: the verifier page renders with it too.
 */
import { formatZonedTime } from '@custody/core';
import { textWarningsAbout, type IdentityView, type ItemView, type ReportModel, type TimelineRow } from './model.js';
import { checkWord, disposalWord, eventWord, failureWords, mixedScriptText, roleWord, rt, type ReportLang } from './messages.js';

/** escapeHtml makes text safe inside HTML elements and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
const e = escapeHtml;

export const REPORT_CSS = `
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10pt; color: #111; margin: 0; line-height: 1.35; }
main.doc { max-width: 190mm; margin: 0 auto; padding: 8mm 4mm; }
h1 { font-size: 16pt; margin: 0 0 1mm; }
h1 small { display: block; font-size: 10pt; font-weight: normal; color: #444; }
h2 { font-size: 12pt; margin: 6mm 0 2mm; border-bottom: 1px solid #999; padding-bottom: 1mm; break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 3mm; }
th, td { border: 1px solid #bbb; padding: 1.2mm 1.6mm; vertical-align: top; text-align: left; }
th { background: #eee; font-weight: bold; }
table.kv th { width: 32%; }
tr { break-inside: avoid; }
table.timeline, table.identities, table.checks { table-layout: fixed; font-size: 8pt; }
table.timeline td, table.timeline th, table.identities td { overflow-wrap: anywhere; }
table.timeline th:nth-child(1) { width: 7%; } table.timeline th:nth-child(2) { width: 13%; } table.timeline th:nth-child(3) { width: 12%; }
table.timeline th:nth-child(4) { width: 17%; } table.timeline th:nth-child(5) { width: 16%; } table.timeline th:nth-child(6) { width: 9%; }
table.timeline th:nth-child(7) { width: 14%; } table.timeline th:nth-child(8) { width: 12%; }
table.identities th:nth-child(1) { width: 14%; } table.identities th:nth-child(2) { width: 22%; } table.identities th:nth-child(3) { width: 18%; }
table.identities th:nth-child(4) { width: 11%; } table.identities th:nth-child(5) { width: 35%; }
table.checks th:nth-child(1) { width: 38%; } table.checks th:nth-child(2) { width: 10%; } table.checks th:nth-child(3) { width: 52%; }
.hash, code { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 8pt; overflow-wrap: anywhere; word-break: break-all; }
.verdict { border: 2px solid; padding: 3mm 4mm; margin: 3mm 0; break-inside: avoid; }
.verdict.ok { border-color: #1a7f37; background: #eaf6ec; }
.verdict.bad { border-color: #b3261e; background: #fbeaea; }
.verdict strong { font-size: 14pt; display: block; }
.ok-text { color: #1a7f37; font-weight: bold; }
.bad-text { color: #b3261e; font-weight: bold; }
td.failed { background: #fbeaea; }
.late { font-weight: bold; color: #7a4a00; }
.text-warning { color: #b3261e; font-size: 8pt; }
.muted { color: #555; font-size: 8.5pt; }
.legal { font-size: 9pt; text-align: justify; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 8pt; background: #f6f6f6; padding: 2mm; border: 1px solid #ddd; }
.parties { display: grid; grid-template-columns: 1fr 1fr; gap: 4mm; }
.party, .keep, .signature { break-inside: avoid; }
.party table.kv th { width: 38%; }
ul.compact { margin: 1mm 0 0; padding-left: 5mm; font-size: 8.5pt; }
.signature p { margin: 1mm 0; }
.sign { height: 22mm; border-bottom: 1px solid #333; margin-top: 3mm; }
footer { margin-top: 6mm; font-size: 8pt; color: #555; border-top: 1px solid #ccc; padding-top: 2mm; }
@media print { .no-print { display: none !important; } main.doc { padding: 0; } }
`;

/** renderReportHtml returns the whole court report as one HTML document. */
export function renderReportHtml(model: ReportModel, lang: ReportLang, generated: string): string {
  const title = `${rt(lang, 'doc.report')} — ${model.items.map((i) => i.id).join(', ') || model.origin || ''}`;
  return page(lang, title, `${reportHeader(model, lang, generated)}${reportBodyHtml(model, lang)}`);
}

/** reportBodyHtml returns the report's sections (verdict, checks, items, timeline, identities, checkpoint, legal note). */
export function reportBodyHtml(model: ReportModel, lang: ReportLang): string {
  const parts = [verdictHtml(model, lang)];
  if (model.verdict.isBundle) {
    parts.push(itemsHtml(model, lang), timelineHtml(model, lang), identitiesHtml(model, lang), checkpointHtml(model, lang));
    parts.push(upstreamHtml(model, lang));
  }
  parts.push(`<h2>${e(rt(lang, 'sec.legal'))}</h2><p class="legal">${e(rt(lang, 'legal.text'))}</p>`);
  return parts.join('\n');
}

/** renderHandoverHtml returns the berita acara serah terima of the handover at `seq` as one HTML document. */
export function renderHandoverHtml(model: ReportModel, row: TimelineRow, lang: ReportLang, generated: string): string {
  const item = model.items.find((i) => i.id === row.item);
  const who = (id: string | null): IdentityView | undefined => model.identities.find((i) => i.id === id);
  const t = formatZonedTime(row.time, row.zone);
  // A signature is shown as verified only when the whole bundle verified (so every signature in it did).
  const verified = model.verdict.ok && row.failures.length === 0;
  const party = (label: string, id: string | null): string => {
    const p = who(id);
    const signed = id === row.actor || row.cosigners.includes(id ?? '');
    const sig = signed ? `<span class="${verified ? 'ok-text' : 'bad-text'}">${e(rt(lang, verified ? 'h.verifiedSig' : 'h.notVerifiedSig'))}</span>` : '—';
    return `<section class="party"><h2>${e(label)}</h2><table class="kv">${kv(rt(lang, 'h.name'), p?.name ?? id ?? '')}${kv(rt(lang, 'h.title'), p?.title ?? '—')}${kv(rt(lang, 'h.nrp'), p?.nrp ?? '—')}${kv(rt(lang, 'h.agency'), [p?.agency, p?.unit].filter(Boolean).join(', '))}${kvHtml(rt(lang, 'h.id'), `<code>${e(id ?? '')}</code>`)}${kvHtml(rt(lang, 'h.fingerprint'), `<span class="hash">${e(keyAt(p, row.seq))}</span>`)}${kvHtml(rt(lang, 'h.electronic'), sig)}</table></section>`;
  };
  const signature = (label: string, id: string | null): string => {
    const p = who(id);
    return `<div class="signature"><p>${e(label)}</p><div class="sign"></div><p><strong>${e(p?.name ?? id ?? '')}</strong><br>${e([p?.title, p?.nrp === undefined || p.nrp === null ? null : `NRP/NIP ${p.nrp}`].filter(Boolean).join(' · '))}</p></div>`;
  };
  const checks = model.verdict.checks.map((c) => `<li><span class="${c.ok ? 'ok-text' : 'bad-text'}">${e(rt(lang, c.ok ? 'w.ok' : 'w.failed'))}</span> ${e(checkWord(lang, c.name))}</li>`).join('');
  const v = model.verdict;
  const word = !v.isBundle ? rt(lang, 'v.notBundle') : v.ok ? rt(lang, 'v.intact') : rt(lang, 'v.notIntact');
  const body = `<header><h1>${e(rt(lang, 'doc.bast'))}<small>${e(rt(lang, 'doc.bastOther'))} · ${e(eventWord(lang, row.type))} · ${e(rt(lang, 'h.record'))} #${row.seq}</small></h1>
<table class="kv">${kv(rt(lang, 'h.ledger'), `${model.ledger?.name ?? ''} — ${model.ledger?.agency ?? ''}`)}${kvHtml(rt(lang, 'h.origin'), `<code>${e(model.origin ?? '')}</code>`)}${kv(rt(lang, 'h.generated'), generated)}</table></header>
<div class="verdict ${v.ok ? 'ok' : 'bad'}" data-verdict="${v.ok ? 'intact' : 'not-intact'}"><strong>${e(word)}</strong><ul class="compact">${checks}</ul>${v.failures.map((f) => `<div><code>${f.seq === null ? '' : `#${f.seq} `}${e(f.code)}</code> ${failureHtml(lang, f)}</div>`).join('')}</div>
<p>${e(rt(lang, 'bast.opening', { date: `${t.local} (${t.utc})`, place: row.place ?? rt(lang, 'bast.placeUnknown') }))}</p>
<div class="parties">${party(rt(lang, 'h.firstParty'), row.from)}${party(rt(lang, 'h.secondParty'), row.to)}</div>
<section class="keep"><h2>${e(rt(lang, 'sec.items'))}</h2>
${item === undefined ? '' : handedItemTable(item, lang)}</section>
<section class="keep"><h2>${e(rt(lang, 'sec.handover'))}</h2>
<table class="kv">${kv(rt(lang, 'h.purposeOnly'), row.purpose ?? '—')}${kv(rt(lang, 'h.authority'), row.authority ?? '—')}${kv(rt(lang, 'h.placeTime'), `${row.place ?? '—'} · ${t.local} · ${t.utc}`)}${row.late === undefined ? '' : kvHtml(rt(lang, 'h.late'), lateHtml(row, lang))}${warningsKv(textWarningsAbout(model, { seq: row.seq, texts: [...partyTexts(who(row.from)), ...partyTexts(who(row.to)), ...itemTexts(item)] }), lang)}${kv(rt(lang, 'h.sealState'), sealText(row.seal, lang))}${kvHtml(rt(lang, 'h.check'), checkHtml(row, lang))}${row.remarks === null ? '' : kv(rt(lang, 'h.remarks'), row.remarks)}${kvHtml(rt(lang, 'h.leaf'), `<span class="hash">${e(row.leafHash)}</span>`)}</table></section>
<p>${e(rt(lang, 'bast.closing', { seq: row.seq }))}</p>
<div class="parties keep">${signature(rt(lang, 'h.firstPartyShort'), row.from)}${signature(rt(lang, 'h.secondPartyShort'), row.to)}</div>
<section class="keep"><h2>${e(rt(lang, 'sec.howToVerify'))}</h2><p class="legal">${e(rt(lang, 'howto.text', { seq: row.seq }))}</p>
<table class="kv">${kvHtml(rt(lang, 'h.logKey'), `<span class="hash">${e(model.ledger?.key ?? '')}</span>`)}${kvHtml(rt(lang, 'h.root'), `<span class="hash">${e(model.checkpoint?.rootHash ?? '')}</span> (${model.checkpoint?.size ?? 0})`)}</table></section>
<section class="keep"><h2>${e(rt(lang, 'sec.legal'))}</h2><p class="legal">${e(rt(lang, 'legal.text'))}</p></section>`;
  return page(lang, `${rt(lang, 'doc.bast')} #${row.seq} — ${row.item}`, body);
}

/** The item as handed over: what identifies it, not who holds it now. */
function handedItemTable(item: ItemView, lang: ReportLang): string {
  return `<table class="kv item">${[
    kvHtml(rt(lang, 'h.item'), `<strong>${e(item.id)}</strong>`),
    kv(rt(lang, 'h.kind'), item.kind),
    kv(rt(lang, 'h.description'), item.description),
    item.cases.length > 0 ? kv(rt(lang, 'h.cases'), item.cases.join('; ')) : '',
    Object.keys(item.identifiers).length > 0 ? kv(rt(lang, 'h.identifiers'), Object.entries(item.identifiers).map(([k, v]) => `${k}: ${v}`).join('; ')) : '',
    kvHtml(rt(lang, 'h.digests'), digestsHtml(item.digests, item.size)),
  ].join('')}</table>`;
}

// ---- sections ----

function page(lang: ReportLang, title: string, body: string): string {
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${e(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body><main class="doc">
${body}
<footer>custody · ${e(rt(lang, 'doc.report'))} / ${e(rt(lang, 'doc.reportOther'))}</footer>
</main></body>
</html>
`;
}

/** reportHeader is the report's title and the table of ledger, items, cases and trust. */
export function reportHeader(model: ReportModel, lang: ReportLang, generated: string): string {
  const cases = [...new Set(model.items.flatMap((i) => i.cases))];
  const trustKey = model.trust === 'policy' ? 'h.trustPolicy' : model.trust === 'ledger' ? 'h.trustOwn' : 'h.trustKey';
  return `<header><h1>${e(rt(lang, 'doc.report'))}<small>${e(rt(lang, 'doc.reportOther'))}</small></h1>
<table class="kv">
${kv(rt(lang, 'h.ledger'), model.ledger === null ? '—' : `${model.ledger.name} — ${model.ledger.agency}`)}
${kvHtml(rt(lang, 'h.origin'), `<code>${e(model.origin ?? '—')}</code>`)}
${kv(rt(lang, 'h.item'), model.items.map((i) => i.id).join(', ') || '—')}
${kv(rt(lang, 'h.cases'), cases.join('; ') || '—')}
${kv(rt(lang, 'h.trust'), rt(lang, trustKey))}
${kv(rt(lang, 'h.generated'), generated)}
</table></header>`;
}

/** verdictHtml is the verdict box and the table of checks, with the failures and warnings. */
export function verdictHtml(model: ReportModel, lang: ReportLang): string {
  const v = model.verdict;
  const word = !v.isBundle ? rt(lang, 'v.notBundle') : v.ok ? rt(lang, 'v.intact') : rt(lang, 'v.notIntact');
  const checks = v.checks
    .map((c) => `<tr><td>${e(checkWord(lang, c.name))}</td><td class="${c.ok ? '' : 'failed'}"><span class="${c.ok ? 'ok-text' : 'bad-text'}">${e(rt(lang, c.ok ? 'w.ok' : 'w.failed'))}</span></td><td>${e(c.detail)}</td></tr>`)
    .join('');
  const list = (rows: ReportModel['verdict']['failures']): string =>
    `<table><tr><th>${e(rt(lang, 'h.seq'))}</th><th>${e(rt(lang, 'h.code'))}</th><th>${e(rt(lang, 'h.remarks'))}</th></tr>${rows.map((f) => `<tr><td>${f.seq === null ? '—' : `#${f.seq}`}</td><td><code>${e(f.code)}</code></td><td>${failureHtml(lang, f)}</td></tr>`).join('')}</table>`;
  return `<section class="verdict-section"><h2>${e(rt(lang, 'sec.verdict'))}</h2>
<div class="verdict ${v.ok ? 'ok' : 'bad'}" data-verdict="${v.ok ? 'intact' : 'not-intact'}"><strong>${e(word)}</strong>${e(rt(lang, v.ok ? 'v.intactText' : 'v.notIntactText'))}</div>
${v.failures.length > 0 ? `<h2>${e(rt(lang, 'sec.failures'))}</h2>${list(v.failures)}` : ''}
<h2>${e(rt(lang, 'sec.checks'))}</h2>
<table class="checks"><tr><th>${e(rt(lang, 'sec.checks'))}</th><th>${e(rt(lang, 'h.status'))}</th><th>${e(rt(lang, 'h.remarks'))}</th></tr>${checks}</table>
${v.warnings.length > 0 ? `<h2>${e(rt(lang, 'sec.warnings'))}</h2>${list(v.warnings)}` : ''}
${model.recordsAfterCheckpoint > 0 ? `<p class="bad-text">${e(rt(lang, 'h.recordsAfter', { n: model.recordsAfterCheckpoint }))}</p>` : ''}
</section>`;
}

/** The bundles of other ledgers that imported items came from, each nested in the one it fed. */
function upstreamHtml(model: ReportModel, lang: ReportLang): string {
  return model.upstream
    .map((u) => `<div class="upstream"><h2>${e(rt(lang, 'sec.upstream'))}: ${e(u.origin ?? '?')}</h2>${verdictHtml(u, lang)}${u.verdict.isBundle ? `${itemsHtml(u, lang)}${timelineHtml(u, lang)}${identitiesHtml(u, lang)}${upstreamHtml(u, lang)}` : ''}</div>`)
    .join('');
}

function itemsHtml(model: ReportModel, lang: ReportLang): string {
  return `<h2>${e(rt(lang, 'sec.items'))}</h2>${model.items.map((i) => itemTable(i, model, lang)).join('')}`;
}

function itemTable(item: ItemView, model: ReportModel, lang: ReportLang): string {
  const rows = [
    kvHtml(rt(lang, 'h.item'), `<strong>${e(item.id)}</strong>`),
    kv(rt(lang, 'h.kind'), item.kind),
    kv(rt(lang, 'h.description'), item.description),
    item.cases.length > 0 ? kv(rt(lang, 'h.cases'), item.cases.join('; ')) : '',
    Object.keys(item.identifiers).length > 0 ? kv(rt(lang, 'h.identifiers'), Object.entries(item.identifiers).map(([k, v]) => `${k}: ${v}`).join('; ')) : '',
    item.seizure === null ? '' : kv(rt(lang, 'h.seizure'), [item.seizure.authority, item.seizure.place, item.seizure.time === null ? null : timeText(item.seizure.time, item.zone), item.seizure.witnesses.length > 0 ? `saksi: ${item.seizure.witnesses.join('; ')}` : null].filter(Boolean).join(' · ')),
    item.parents.length > 0 ? kv(rt(lang, 'h.parents'), item.parents.join('; ')) : '',
    item.importedFrom === null ? '' : kv(rt(lang, 'h.imported'), item.importedFrom),
    kvHtml(rt(lang, 'h.digests'), digestsHtml(item.digests, item.size)),
    kv(rt(lang, 'h.custodian'), item.custodian === null ? '—' : personText(model, item.custodian)),
    item.inTransitTo === null ? '' : kv(rt(lang, 'h.inTransit'), personText(model, item.inTransitTo)),
    kv(rt(lang, 'h.seal'), sealText(item.seal, lang)),
    item.location === null ? '' : kv(rt(lang, 'h.location'), item.location),
    item.disposed === null ? '' : kv(rt(lang, 'h.disposed'), `${disposalWord(lang, item.disposed.method)} (#${item.disposed.seq})`),
    warningsKv(textWarningsAbout(model, { texts: itemTexts(item) }), lang),
  ];
  return `<table class="kv item">${rows.join('')}</table>`;
}

function timelineHtml(model: ReportModel, lang: ReportLang): string {
  const head = ['h.seq', 'h.time', 'h.event', 'h.parties', 'h.purpose', 'h.sealState', 'h.check', 'h.signed'] as const;
  const rows = model.timeline.map((r) => {
    const t = formatZonedTime(r.time, r.zone);
    const parties = r.from !== null || r.to !== null ? `${e(personText(model, r.from ?? '—'))} →<br>${e(personText(model, r.to ?? '—'))}` : `${e(rt(lang, 'h.by'))} ${e(personText(model, r.actor))}`;
    const what = [r.purpose, r.authority, r.method === null ? null : r.type === 'item.dispose' ? disposalWord(lang, r.method) : r.method, r.tool, r.place, r.location, r.reason, r.remarks].filter((x): x is string => x !== null);
    const signers = [r.actor, ...r.cosigners].map((id) => e(id)).join(', ');
    const failed = r.failures.length > 0;
    const late = r.late === undefined ? '' : `<br>${lateHtml(r, lang)}`;
    const warnings = textWarningsAbout(model, { seq: r.seq }).map((w) => `<div class="text-warning">⚠ ${e(mixedScriptText(lang, w.details))}</div>`).join('');
    return `<tr data-seq="${r.seq}"${failed ? ' class="failed-row"' : ''}${r.late === undefined ? '' : ' data-late="true"'}><td${failed ? ' class="failed"' : ''}>#${r.seq}${failed ? `<br><code class="bad-text">${e(r.failures.join(', '))}</code>` : ''}</td><td>${e(t.local)}<br><span class="muted">${e(t.utc)}</span>${late}</td><td><strong>${e(eventWord(lang, r.type))}</strong><br><span class="muted">${e(r.item)}</span></td><td>${parties}</td><td>${what.map(e).join('<br>') || '—'}${warnings}</td><td>${e(r.seal === null ? '—' : sealText(r.seal, lang))}</td><td>${checkHtml(r, lang)}</td><td>${signers}<br><span class="hash muted">${e(r.leafHash.slice(0, 16))}…</span></td></tr>`;
  });
  return `<h2>${e(rt(lang, 'sec.timeline'))}</h2><table class="timeline"><tr>${head.map((k) => `<th>${e(rt(lang, k))}</th>`).join('')}</tr>${rows.join('')}</table>`;
}

function identitiesHtml(model: ReportModel, lang: ReportLang): string {
  const rows = model.identities.map(
    (i) =>
      `<tr><td><code>${e(i.id)}</code></td><td>${e(i.name)}${i.title === null ? '' : `<br>${e(i.title)}`}${i.nrp === null ? '' : `<br>NRP/NIP ${e(i.nrp)}`}${textWarningsAbout(model, { texts: partyTexts(i) }).map((w) => `<div class="text-warning">⚠ ${e(mixedScriptText(lang, w.details))}</div>`).join('')}</td><td>${e([i.agency, i.unit].filter(Boolean).join(', '))}</td><td>${e(roleWord(lang, i.role))}</td><td>${i.keys
        .map((k) => `<span class="hash">${e(k.fingerprint)}</span> <span class="muted">(${e(rt(lang, 'h.validFrom'))} #${k.from}${k.until === null ? '' : `, ${e(rt(lang, 'h.until'))} #${k.until}`})</span>`)
        .join('<br>')}${i.revokedAt === null ? '' : `<br><span class="bad-text">${e(rt(lang, 'h.revoked'))} #${i.revokedAt}</span>`}</td></tr>`,
  );
  return `<h2>${e(rt(lang, 'sec.identities'))}</h2><table class="identities"><tr><th>${e(rt(lang, 'h.id'))}</th><th>${e(rt(lang, 'h.name'))}</th><th>${e(rt(lang, 'h.agency'))}</th><th>${e(rt(lang, 'h.role'))}</th><th>${e(rt(lang, 'h.fingerprint'))}</th></tr>${rows.join('')}</table>`;
}

function checkpointHtml(model: ReportModel, lang: ReportLang): string {
  const cp = model.checkpoint;
  if (cp === null) return '';
  return `<h2>${e(rt(lang, 'sec.checkpoint'))}</h2><table class="kv">
${kvHtml(rt(lang, 'h.logKey'), `<span class="hash">${e(model.ledger?.key ?? '')}</span>`)}
${kvHtml(rt(lang, 'h.fingerprint'), `<span class="hash">${e(model.ledger?.fingerprint ?? '—')}</span>`)}
${kv(rt(lang, 'h.size.records'), String(cp.size))}
${kvHtml(rt(lang, 'h.root'), `<span class="hash">${e(cp.rootHash || '—')}</span>`)}
${kv(rt(lang, 'h.witnesses'), cp.witnesses.join(', ') || (model.trust === 'policy' ? rt(lang, 'w.none') : rt(lang, 'w.not')))}
${kv(rt(lang, 'h.cosigLines'), cp.signers.join(', '))}
${model.verdict.digest === null ? '' : kvHtml('SHA-256 bundle', `<span class="hash">${e(model.verdict.digest)}</span>`)}
</table><pre class="checkpoint">${e(cp.text)}</pre>`;
}

// ---- small pieces ----

/** lateHtml says that a record is a late entry: when it was recorded and why. */
function lateHtml(r: TimelineRow, lang: ReportLang): string {
  if (r.late === undefined) return '';
  return `<span class="late">${e(rt(lang, 'h.late'))}</span><br><span class="muted">${e(rt(lang, 'h.lateText', { time: timeText(r.late.recorded, r.zone), reason: r.late.reason }))}</span>`;
}

/** warningsKv is a table row listing mixed-script warnings, or nothing when there are none. */
function warningsKv(warnings: ReportModel['verdict']['warnings'], lang: ReportLang): string {
  if (warnings.length === 0) return '';
  return kvHtml(rt(lang, 'sec.warnings'), warnings.map((w) => `<div class="text-warning">⚠ ${e(mixedScriptText(lang, w.details))}</div>`).join(''));
}

/** The display texts of an identity and of an item, for finding the warnings about them. */
export function partyTexts(p: IdentityView | undefined): Array<string | null> {
  return p === undefined ? [] : [p.name, p.title, p.agency, p.unit];
}
export function itemTexts(item: ItemView | undefined): string[] {
  if (item === undefined) return [];
  return [item.description, ...item.cases, ...Object.values(item.identifiers), ...(item.seizure === null ? [] : [item.seizure.authority, item.seizure.place ?? '', ...item.seizure.witnesses]), item.location ?? ''];
}

function failureHtml(lang: ReportLang, f: { code: string; message: string; seq: number | null; details?: { readonly [key: string]: unknown } }): string {
  const w = failureWords(lang, f);
  return `${e(w.text)}${w.original === null ? '' : `<br><span class="muted">${e(w.original)}</span>`}`;
}

function kv(label: string, value: string): string {
  return `<tr><th>${e(label)}</th><td>${e(value)}</td></tr>`;
}
function kvHtml(label: string, html: string): string {
  return `<tr><th>${e(label)}</th><td>${html}</td></tr>`;
}

function timeText(time: string, zone: string | null): string {
  const t = formatZonedTime(time, zone);
  return t.local === t.utc ? t.utc : `${t.local} (${t.utc})`;
}

export function sealText(seal: { numbers: readonly string[]; state: string } | null, lang: ReportLang): string {
  if (seal === null) return rt(lang, 'w.none');
  return `${seal.numbers.join('; ')} (${rt(lang, seal.state === 'broken' ? 'w.broken' : 'w.intact')})`;
}

function digestsHtml(digests: Readonly<Record<string, string>>, size: number | null): string {
  const lines = Object.entries(digests).map(([alg, hex]) => `${e(alg)}: <span class="hash">${e(hex)}</span>`);
  if (size !== null) lines.push(`${size} B`);
  return lines.join('<br>');
}

function checkHtml(r: TimelineRow, lang: ReportLang): string {
  if (r.check === null) return '—';
  const ok = r.check.result === 'match';
  return `<span class="${ok ? 'ok-text' : 'bad-text'}">${e(rt(lang, ok ? 'w.match' : 'w.mismatch'))}</span><br>${digestsHtml(r.check.digests, r.check.size)}${r.check.tool === null ? '' : `<br>${e(r.check.tool)}`}`;
}

function personText(model: ReportModel, id: string): string {
  const p = model.identities.find((i) => i.id === id);
  if (p === undefined) return id;
  return `${p.name}${p.title === null ? '' : `, ${p.title}`} (${p.agency})`;
}

function keyAt(p: IdentityView | undefined, seq: number): string {
  if (p === undefined) return '—';
  const k = p.keys.find((k) => k.from <= seq && (k.until === null || seq < k.until)) ?? p.keys[p.keys.length - 1];
  return k?.fingerprint ?? '—';
}
