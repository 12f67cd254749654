/**
 * The court report and the handover record in Markdown (for case files kept as text). Same content
 * as the HTML; bundle text is attacker-controlled, so table cells have their pipes, backslashes,
 * markup and line breaks neutralised.
 */
import { formatZonedTime } from '@custody/core';
import { textWarningsAbout, type ItemView, type ReportModel, type TimelineRow } from './model.js';
import { checkWord, disposalWord, eventWord, failureWords, mixedScriptText, roleWord, rt, type ReportLang } from './messages.js';
import { itemTexts, partyTexts, sealText } from './html.js';

/** cell makes text safe in a Markdown table cell or line: no markup, pipes or line breaks. */
export function cell(text: string): string {
  return text.replace(/[\\`*_{}[\]<>|~]/g, (c) => `\\${c}`).replace(/[\r\n\t]+/g, ' ');
}

export function renderReportMarkdown(model: ReportModel, lang: ReportLang, generated: string): string {
  const out: string[] = [];
  out.push(`# ${rt(lang, 'doc.report')}`, '', `*${rt(lang, 'doc.reportOther')}*`, '');
  out.push(`| | |`, `|---|---|`);
  out.push(`| ${rt(lang, 'h.ledger')} | ${cell(model.ledger === null ? '—' : `${model.ledger.name} — ${model.ledger.agency}`)} |`);
  out.push(`| ${rt(lang, 'h.origin')} | ${cell(model.origin ?? '—')} |`);
  out.push(`| ${rt(lang, 'h.item')} | ${cell(model.items.map((i) => i.id).join(', ') || '—')} |`);
  out.push(`| ${rt(lang, 'h.cases')} | ${cell([...new Set(model.items.flatMap((i) => i.cases))].join('; ') || '—')} |`);
  out.push(`| ${rt(lang, 'h.trust')} | ${rt(lang, model.trust === 'policy' ? 'h.trustPolicy' : model.trust === 'ledger' ? 'h.trustOwn' : 'h.trustKey')} |`);
  out.push(`| ${rt(lang, 'h.generated')} | ${cell(generated)} |`, '');
  out.push(...verdictLines(model, lang));
  if (model.verdict.isBundle) {
    out.push(`## ${rt(lang, 'sec.items')}`, '');
    for (const item of model.items) out.push(...itemLines(item, model, lang), '');
    out.push(...timelineLines(model, lang));
    out.push(`## ${rt(lang, 'sec.identities')}`, '', `| ${rt(lang, 'h.id')} | ${rt(lang, 'h.name')} | ${rt(lang, 'h.agency')} | ${rt(lang, 'h.role')} | ${rt(lang, 'h.fingerprint')} |`, '|---|---|---|---|---|');
    for (const i of model.identities) {
      const name = [i.name, i.title, i.nrp === null ? null : `NRP/NIP ${i.nrp}`].filter(Boolean).join(', ');
      const keys = i.keys.map((k) => `\`${k.fingerprint}\` (#${k.from}${k.until === null ? '' : `–#${k.until}`})`).join('; ');
      const warnings = textWarningsAbout(model, { texts: partyTexts(i) }).map((w) => ` ⚠ ${mixedScriptText(lang, w.details)}`).join('');
      out.push(`| ${cell(i.id)} | ${cell(name + warnings)} | ${cell([i.agency, i.unit].filter(Boolean).join(', '))} | ${roleWord(lang, i.role)} | ${keys} |`);
    }
    out.push('');
    const cp = model.checkpoint;
    if (cp !== null) {
      out.push(`## ${rt(lang, 'sec.checkpoint')}`, '');
      out.push(`- ${rt(lang, 'h.logKey')}: \`${cell(model.ledger?.key ?? '')}\``);
      out.push(`- ${rt(lang, 'h.fingerprint')}: \`${model.ledger?.fingerprint ?? '—'}\``);
      out.push(`- ${rt(lang, 'h.size.records')}: ${cp.size}`, `- ${rt(lang, 'h.root')}: \`${cp.rootHash || '—'}\``);
      out.push(`- ${rt(lang, 'h.witnesses')}: ${cell(cp.witnesses.join(', ') || (model.trust === 'policy' ? rt(lang, 'w.none') : rt(lang, 'w.not')))}`);
      out.push(`- ${rt(lang, 'h.cosigLines')}: ${cell(cp.signers.join(', '))}`, '');
    }
    const upstream = (m: ReportModel): void => {
      for (const u of m.upstream) {
        out.push(`## ${rt(lang, 'sec.upstream')}: ${cell(u.origin ?? '?')}`, '', ...verdictLines(u, lang), ...timelineLines(u, lang));
        upstream(u);
      }
    };
    upstream(model);
  }
  out.push(`## ${rt(lang, 'sec.legal')}`, '', rt(lang, 'legal.text'), '');
  return out.join('\n');
}

export function renderHandoverMarkdown(model: ReportModel, row: TimelineRow, lang: ReportLang, generated: string): string {
  const t = formatZonedTime(row.time, row.zone);
  const item = model.items.find((i) => i.id === row.item);
  const party = (label: string, id: string | null): string[] => {
    const p = model.identities.find((i) => i.id === id);
    return [
      `### ${label}`, '',
      `- ${rt(lang, 'h.name')}: ${cell(p?.name ?? id ?? '—')}`,
      `- ${rt(lang, 'h.title')}: ${cell(p?.title ?? '—')}`,
      `- ${rt(lang, 'h.nrp')}: ${cell(p?.nrp ?? '—')}`,
      `- ${rt(lang, 'h.agency')}: ${cell([p?.agency, p?.unit].filter(Boolean).join(', ') || '—')}`,
      `- ${rt(lang, 'h.id')}: ${cell(id ?? '—')}`,
      `- ${rt(lang, 'h.signature')}: ______________________`, '',
    ];
  };
  return [
    `# ${rt(lang, 'doc.bast')}`, '', `*${rt(lang, 'doc.bastOther')} · ${eventWord(lang, row.type)} · ${rt(lang, 'h.record')} #${row.seq}*`, '',
    `- ${rt(lang, 'h.ledger')}: ${cell(`${model.ledger?.name ?? ''} — ${model.ledger?.agency ?? ''}`)} (${cell(model.origin ?? '')})`,
    `- ${rt(lang, 'h.generated')}: ${cell(generated)}`, '',
    ...verdictLines(model, lang),
    rt(lang, 'bast.opening', { date: `${t.local} (${t.utc})`, place: cell(row.place ?? rt(lang, 'bast.placeUnknown')) }), '',
    ...party(rt(lang, 'h.firstParty'), row.from),
    ...party(rt(lang, 'h.secondParty'), row.to),
    `## ${rt(lang, 'sec.items')}`, '', ...(item === undefined ? [] : itemLines(item, model, lang)), '',
    `## ${rt(lang, 'doc.bast')}`, '',
    `- ${rt(lang, 'h.purpose')}: ${cell(row.purpose ?? '—')}`,
    `- ${rt(lang, 'h.authority')}: ${cell(row.authority ?? '—')}`,
    `- ${rt(lang, 'h.placeTime')}: ${cell(row.place ?? '—')} · ${t.local} · ${t.utc}`,
    ...(row.late === undefined ? [] : [`- **${rt(lang, 'h.late')}**: ${cell(lateText(row, lang))}`]),
    ...textWarningsAbout(model, { seq: row.seq, texts: [...partyTexts(model.identities.find((i) => i.id === row.from)), ...partyTexts(model.identities.find((i) => i.id === row.to)), ...itemTexts(item)] })
      .map((w) => `- ⚠ ${rt(lang, 'sec.warnings')}: ${cell(mixedScriptText(lang, w.details))}`),
    `- ${rt(lang, 'h.sealState')}: ${cell(sealText(row.seal, lang))}`,
    `- ${rt(lang, 'h.check')}: ${checkText(row, lang)}`,
    `- ${rt(lang, 'h.leaf')}: \`${row.leafHash}\``, '',
    rt(lang, 'bast.closing', { seq: row.seq }), '',
    `## ${rt(lang, 'sec.howToVerify')}`, '', rt(lang, 'howto.text', { seq: row.seq }), '',
    `- ${rt(lang, 'h.logKey')}: \`${cell(model.ledger?.key ?? '')}\``, '',
    `## ${rt(lang, 'sec.legal')}`, '', rt(lang, 'legal.text'), '',
  ].join('\n');
}

function verdictLines(model: ReportModel, lang: ReportLang): string[] {
  const v = model.verdict;
  const word = !v.isBundle ? rt(lang, 'v.notBundle') : v.ok ? rt(lang, 'v.intact') : rt(lang, 'v.notIntact');
  const out = [`## ${rt(lang, 'sec.verdict')}`, '', `**${word}** — ${rt(lang, v.ok ? 'v.intactText' : 'v.notIntactText')}`, ''];
  if (v.failures.length > 0) {
    out.push(`### ${rt(lang, 'sec.failures')}`, '');
    for (const f of v.failures) {
      const w = failureWords(lang, f);
      out.push(`- ${f.seq === null ? '' : `#${f.seq} `}\`${f.code}\`: ${cell(w.text)}${w.original === null ? '' : ` (${cell(w.original)})`}`);
    }
    out.push('');
  }
  out.push(`### ${rt(lang, 'sec.checks')}`, '');
  for (const c of v.checks) out.push(`- ${c.ok ? '✔' : '✘'} ${checkWord(lang, c.name)} — ${rt(lang, c.ok ? 'w.ok' : 'w.failed')}: ${cell(c.detail)}`);
  out.push('');
  if (v.warnings.length > 0) {
    out.push(`### ${rt(lang, 'sec.warnings')}`, '');
    for (const w of v.warnings) out.push(`- ${w.seq === null ? '' : `#${w.seq} `}\`${w.code}\`: ${cell(failureWords(lang, w).text)}`);
    out.push('');
  }
  if (model.recordsAfterCheckpoint > 0) out.push(`**${rt(lang, 'h.recordsAfter', { n: model.recordsAfterCheckpoint })}**`, '');
  return out;
}

function itemLines(item: ItemView, model: ReportModel, lang: ReportLang): string[] {
  const out = [`### ${cell(item.id)}`, '', `- ${rt(lang, 'h.kind')}: ${cell(item.kind)}`, `- ${rt(lang, 'h.description')}: ${cell(item.description)}`];
  if (item.cases.length > 0) out.push(`- ${rt(lang, 'h.cases')}: ${cell(item.cases.join('; '))}`);
  if (item.seizure !== null) out.push(`- ${rt(lang, 'h.seizure')}: ${cell([item.seizure.authority, item.seizure.place, ...item.seizure.witnesses].filter(Boolean).join(' · '))}`);
  if (item.parents.length > 0) out.push(`- ${rt(lang, 'h.parents')}: ${cell(item.parents.join('; '))}`);
  if (item.importedFrom !== null) out.push(`- ${rt(lang, 'h.imported')}: ${cell(item.importedFrom)}`);
  for (const [alg, hex] of Object.entries(item.digests)) out.push(`- ${rt(lang, 'h.digests')} ${cell(alg)}: \`${cell(hex)}\``);
  if (item.size !== null) out.push(`- ${rt(lang, 'h.size')}: ${item.size} B`);
  out.push(`- ${rt(lang, 'h.custodian')}: ${cell(item.custodian === null ? '—' : person(model, item.custodian))}`);
  out.push(`- ${rt(lang, 'h.seal')}: ${cell(sealText(item.seal, lang))}`);
  if (item.location !== null) out.push(`- ${rt(lang, 'h.location')}: ${cell(item.location)}`);
  if (item.disposed !== null) out.push(`- ${rt(lang, 'h.disposed')}: ${disposalWord(lang, item.disposed.method)} (#${item.disposed.seq})`);
  for (const w of textWarningsAbout(model, { texts: itemTexts(item) })) out.push(`- ⚠ ${rt(lang, 'sec.warnings')}: ${cell(mixedScriptText(lang, w.details))}`);
  return out;
}

function timelineLines(model: ReportModel, lang: ReportLang): string[] {
  const out = [
    `## ${rt(lang, 'sec.timeline')}`, '',
    `| # | ${rt(lang, 'h.time')} | ${rt(lang, 'h.event')} | ${rt(lang, 'h.parties')} | ${rt(lang, 'h.purpose')} | ${rt(lang, 'h.sealState')} | ${rt(lang, 'h.check')} | ${rt(lang, 'h.signed')} |`,
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of model.timeline) {
    const t = formatZonedTime(r.time, r.zone);
    const parties = r.from !== null || r.to !== null ? `${person(model, r.from ?? '—')} → ${person(model, r.to ?? '—')}` : `${rt(lang, 'h.by')} ${person(model, r.actor)}`;
    const what = [r.purpose, r.authority, r.method === null ? null : r.type === 'item.dispose' ? disposalWord(lang, r.method) : r.method, r.tool, r.place, r.location, r.reason, r.remarks].filter((x): x is string => x !== null);
    const seq = `#${r.seq}${r.failures.length > 0 ? ` **${r.failures.join(', ')}**` : ''}`;
    const late = r.late === undefined ? '' : `<br>**${rt(lang, 'h.late')}**: ${cell(lateText(r, lang))}`;
    const warnings = textWarningsAbout(model, { seq: r.seq }).map((w) => `<br>⚠ ${cell(mixedScriptText(lang, w.details))}`).join('');
    out.push(`| ${seq} | ${t.local}<br>${t.utc}${late} | ${eventWord(lang, r.type)} (${cell(r.item)}) | ${cell(parties)} | ${cell(what.join('; ') || '—')}${warnings} | ${cell(r.seal === null ? '—' : sealText(r.seal, lang))} | ${checkText(r, lang)} | ${cell([r.actor, ...r.cosigners].join(', '))} |`);
  }
  out.push('');
  return out;
}

/** lateText says when a late entry was recorded and why. */
function lateText(r: TimelineRow, lang: ReportLang): string {
  if (r.late === undefined) return '';
  const t = formatZonedTime(r.late.recorded, r.zone);
  return rt(lang, 'h.lateText', { time: t.local === t.utc ? t.utc : `${t.local} (${t.utc})`, reason: r.late.reason });
}

function checkText(r: TimelineRow, lang: ReportLang): string {
  if (r.check === null) return '—';
  const digests = Object.entries(r.check.digests).map(([a, h]) => `${cell(a)}:\`${cell(h)}\``).join(' ');
  return `${rt(lang, r.check.result === 'match' ? 'w.match' : 'w.mismatch')} ${digests}`;
}

function person(model: ReportModel, id: string): string {
  const p = model.identities.find((i) => i.id === id);
  return p === undefined ? id : `${p.name}${p.title === null ? '' : `, ${p.title}`} (${p.agency})`;
}
