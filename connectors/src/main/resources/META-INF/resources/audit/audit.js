'use strict';

// The auditor's page: read-only views over Leap's audit API (/api/audit/..., with the auditor token).
// Everything the log holds is shown as text, never as markup: messages, arguments and results are data.

const TOKEN_KEY = 'leap.auditorToken';
const PAGE = 20;
const api = path => new URL('../api/' + path, document.baseURI);
const $ = id => document.getElementById(id);

function say(text) {
  $('error').textContent = '';
  $('status').textContent = text;
}

function fail(text) {
  $('status').textContent = '';
  $('error').textContent = text;
}

/** An element with a class and children: strings become text, never HTML. */
function el(tag, className, ...children) {
  const element = document.createElement(tag);
  if (className) {
    element.className = className;
  }
  element.append(...children.filter(child => child !== null && child !== undefined));
  return element;
}

function when(iso) {
  const time = el('time', null, iso ? new Date(iso).toLocaleString() : '');
  if (iso) {
    time.dateTime = iso;
    time.title = iso;
  }
  return time;
}

function pre(text) {
  return el('pre', null, text ?? '');
}

class Refused extends Error {}

/** GETs (or POSTs) an API path with the auditor token; throws with the service's own words. */
async function call(path, params = {}) {
  const url = api(path);
  Object.entries(params).forEach(([key, value]) => {
    if (value !== null && value !== undefined && value !== '') {
      url.searchParams.set(key, value);
    }
  });
  let response;
  try {
    response = await fetch(url, { headers: { 'Authorization': 'Bearer ' + localStorage.getItem(TOKEN_KEY) } });
  } catch (unreachable) {
    throw new Error('Leap is unreachable: is it running?');
  }
  if (response.status === 401) {
    throw new Refused();
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(body.error || ('Leap answered ' + response.status));
  }
  return body;
}

async function attempt(work) {
  try {
    await work();
  } catch (error) {
    if (error instanceof Refused) {
      localStorage.removeItem(TOKEN_KEY);
      fail('The token was refused. Enter the auditor token again.');
      askForToken();
    } else {
      fail(error.message);
    }
  }
}

// ---- The token ----

function askForToken() {
  $('audit').hidden = true;
  $('token-form').hidden = false;
  $('token').value = '';
  $('token').focus();
}

function openAudit() {
  $('token-form').hidden = true;
  $('audit').hidden = false;
  show('turns');
}

$('token-form').addEventListener('submit', event => {
  event.preventDefault();
  const token = $('token').value.trim();
  if (token) {
    localStorage.setItem(TOKEN_KEY, token);
    openAudit();
  }
});

$('forget').addEventListener('click', () => {
  localStorage.removeItem(TOKEN_KEY);
  say('');
  askForToken();
});

// ---- Tabs ----

const views = { turns: 'turns-view', history: 'history-view', records: 'records-view' };

function show(view) {
  Object.entries(views).forEach(([name, panel]) => {
    $(panel).hidden = name !== view;
    $('tab-' + name).setAttribute('aria-selected', String(name === view));
  });
  if (view === 'turns' && !$('turns').hasChildNodes()) {
    attempt(() => loadTurns(null));
  }
}

Object.keys(views).forEach(name => $('tab-' + name).addEventListener('click', () => show(name)));

// ---- Turns ----

let olderThan = null;

async function loadTurns(before) {
  say('Reading the log…');
  const page = await call('audit/turns', { before, limit: PAGE });
  page.turns.forEach(turn => $('turns').append(turnItem(turn)));
  olderThan = page.next;
  $('older').hidden = page.next === null;
  say(page.turns.length === 0 && before === null ? 'No turns yet.' : '');
}

$('older').addEventListener('click', () => attempt(() => loadTurns(olderThan)));

function turnItem(turn) {
  const item = el('li', 'turn');
  item.dataset.turn = turn.turnId;
  const text = turn.kind === 'revert'
    ? 'The auditor reverts turn ' + turn.reverts.slice(0, 8)
    : '“' + (turn.message ?? '') + '”';
  const badges = [el('span', 'badge', turn.changes + ' change' + (turn.changes === 1 ? '' : 's'))];
  if (turn.status !== 'completed') {
    badges.push(el('span', 'badge', turn.status));
  }
  if (!turn.stands) {
    badges.push(el('span', 'badge reverted', 'reverted'));
  }
  const summary = el('button', 'summary', when(turn.startedAt), el('span', 'muted', turn.channel ?? ''),
    el('span', 'text', text), ...badges);
  summary.type = 'button';
  summary.setAttribute('aria-expanded', 'false');
  const details = el('div', 'details');
  details.id = 'turn-' + turn.turnId;
  details.hidden = true;
  summary.setAttribute('aria-controls', details.id);
  summary.addEventListener('click', () => attempt(async () => {
    const open = summary.getAttribute('aria-expanded') === 'true';
    if (!open && !details.hasChildNodes()) {
      say('Reading the turn…');
      details.append(...account(await call('audit/turns/' + encodeURIComponent(turn.turnId))));
      say('');
    }
    summary.setAttribute('aria-expanded', String(!open));
    details.hidden = open;
  }));
  item.append(summary, details);
  return item;
}

/** The full provenance of a turn, as DOM nodes. */
function account(turn) {
  const nodes = [];
  const facts = el('dl');
  const fact = (name, ...value) => facts.append(el('dt', null, name), el('dd', null, ...value));
  fact('Turn', turn.turnId);
  fact('Status', turn.status + (turn.problem ? ': ' + turn.problem : ''));
  fact('Actor', turn.actor + ' via ' + turn.channel + (turn.model ? ', model ' + turn.model : ''));
  fact('Started', when(turn.startedAt));
  if (turn.reverts) {
    fact('Reverts', 'turn ' + turn.reverts);
  }
  nodes.push(facts);

  if (turn.message) {
    nodes.push(el('h3', null, 'Message'),
      el('p', 'muted', 'From ' + turn.message.sender + ', ', when(turn.message.receivedAt), ', event ' + turn.message.id),
      el('pre', 'message', turn.message.text));
    if (turn.message.quoted) {
      nodes.push(el('p', 'muted', 'Forwarded, read as data:'), pre(turn.message.quoted));
    }
  }
  if (turn.modelCalls.length > 0) {
    nodes.push(el('h3', null, 'Model calls'), el('ol', 'model-calls', ...turn.modelCalls.map(modelCall =>
      el('li', null,
        modelCall.text ? pre(modelCall.text) : null,
        ...modelCall.requested.map(request => el('p', null, 'Asked for ', el('code', null, request.name), ' ',
          el('code', null, request.arguments))),
        el('span', 'muted', modelCall.inputTokens + ' tokens in, ' + modelCall.outputTokens + ' out')))));
  }
  if (turn.toolCalls.length > 0) {
    nodes.push(el('h3', null, 'Tool calls'), el('ol', 'tool-calls', ...turn.toolCalls.map(toolCall =>
      el('li', null, el('code', null, toolCall.name), ' (' + toolCall.id + ')' + (toolCall.error ? ' — refused' : ''),
        el('p', 'muted', 'Arguments'), el('pre', 'arguments', toolCall.arguments),
        el('p', 'muted', 'Result'), el('pre', 'result', toolCall.result)))));
  }
  nodes.push(el('h3', null, 'Events appended (' + turn.changesTotal + ')'));
  if (turn.changes.length > 0) {
    nodes.push(changesTable(turn.changes));
  }
  if (turn.reply !== null) {
    nodes.push(el('h3', null, 'Reply'), el('pre', 'reply', turn.reply),
      el('p', 'muted', turn.delivery ? 'Delivered ' : 'Not delivered yet', turn.delivery ? when(turn.delivery.at) : null));
  }
  nodes.push(el('h3', null, 'Reverts'));
  if (turn.reversals.length === 0) {
    nodes.push(el('p', 'reversal', 'Never reverted.'));
  }
  turn.reversals.forEach(reversal => nodes.push(el('p', 'reversal',
    'Reverted ', when(reversal.at), ' by ' + (reversal.by ? reversal.kind + ' turn ' + reversal.by : 'Leap itself')
    + ' (' + reversal.actor + '), ' + reversal.compensationsTotal + ' compensating event(s)'
    + (reversal.inEffect ? '.' : '; that revert was itself reverted since.'))));
  nodes.push(el('p', 'stands', turn.stands ? 'Its changes are in effect.' : 'Its changes are not in effect: it was reverted.'));
  return nodes;
}

function changesTable(changes) {
  const rows = changes.map(change => {
    const record = change.stream && change.stream.startsWith('record-') ? change.stream.slice('record-'.length) : null;
    const link = record ? el('button', 'link history-link', record) : null;
    if (link) {
      link.type = 'button';
      link.title = 'Show the history of record ' + record;
      link.addEventListener('click', () => openHistory(record));
    }
    return el('tr', null, el('td', null, String(change.position)), el('td', null, change.type),
      el('td', null, link ?? (change.stream ?? '')), el('td', 'change', change.summary),
      el('td', null, change.toolCallId ?? ''));
  });
  const head = el('tr', null, ...['Position', 'Type', 'Stream', 'What it did', 'Tool call'].map(name => {
    const cell = el('th', null, name);
    cell.scope = 'col';
    return cell;
  }));
  return el('table', 'changes', el('thead', null, head), el('tbody', null, ...rows));
}

// ---- A record's history ----

let historyOf = null;
let laterThan = null;

function openHistory(record) {
  $('record').value = record;
  show('history');
  attempt(() => loadHistory(record, 0));
}

async function loadHistory(record, from) {
  say('Reading the record…');
  const page = await call('audit/records/' + encodeURIComponent(record) + '/history', { from, limit: 100 });
  if (from === 0) {
    $('history').replaceChildren();
  }
  $('history-title').textContent = 'History of record ' + record;
  page.entries.forEach(entry => $('history').append(historyItem(entry)));
  historyOf = record;
  laterThan = page.next;
  $('later-history').hidden = page.next === null;
  say((page.deleted ? 'Record ' + record + ' was deleted.' : ''));
}

function historyItem(entry) {
  const cause = entry.cause;
  const why = cause.kind === 'message'
    ? 'Turn ' + cause.turnId + ', from the ' + cause.channel + ' message “' + (cause.message ?? '') + '”'
    : cause.kind === 'revert'
      ? 'Turn ' + cause.turnId + ': the auditor reverting turn ' + cause.reverts
      : 'Leap itself (' + cause.actor + ')';
  return el('li', null, when(entry.recordedAt), ' ', el('span', 'muted', '#' + entry.revision), el('p', 'summary', entry.summary),
    el('p', 'cause muted', why + (cause.stands ? '' : ' — reverted since')));
}

$('history-form').addEventListener('submit', event => {
  event.preventDefault();
  const record = $('record').value.trim();
  if (record) {
    attempt(() => loadHistory(record, 0));
  }
});

$('later-history').addEventListener('click', () => attempt(() => loadHistory(historyOf, laterThan)));

// ---- The records as of a time ----

let recordsAt = null;
let nextRecords = null;

async function loadRecords(at, offset) {
  say('Folding the log…');
  const page = await call('audit/records', { at, offset, limit: 50 });
  const body = $('records').tBodies[0];
  if (offset === 0) {
    body.replaceChildren();
  }
  page.records.forEach(record => {
    const link = el('button', 'link history-link', record.id);
    link.type = 'button';
    link.addEventListener('click', () => openHistory(record.id));
    body.append(el('tr', null, el('td', null, record.collection), el('td', null, link),
      el('td', null, Object.entries(record.fields).map(([field, value]) => field + ': ' + value).join(', '))));
  });
  $('records').hidden = page.total === 0;
  $('records-summary').textContent = page.total + ' record(s) '
    + (page.at.position < 0 ? 'before the first event' : 'just after position ' + page.at.position + ' (' + page.at.recordedAt + ')');
  recordsAt = at;
  nextRecords = page.next;
  $('more-records').hidden = page.next === null;
  say('');
}

$('records-form').addEventListener('submit', event => {
  event.preventDefault();
  attempt(() => loadRecords($('at').value.trim(), 0));
});

$('more-records').addEventListener('click', () => attempt(() => loadRecords(recordsAt, nextRecords)));

if (localStorage.getItem(TOKEN_KEY)) {
  openAudit();
} else {
  askForToken();
}
