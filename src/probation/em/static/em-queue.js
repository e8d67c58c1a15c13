// The live alert queue: polls the page's JSON source every few seconds and redraws the table, and
// announces newly raised alerts through a polite aria-live region. Without JavaScript the page
// still works (its "Refresh the queue" link reloads it).
const POLL_MS = 5000;

const table = document.getElementById('alert-queue');
const body = document.getElementById('alert-queue-body');
const announcer = document.getElementById('queue-announcer');
const count = document.getElementById('queue-count');
const asOf = document.getElementById('queue-as-of');
const empty = document.getElementById('queue-empty');

const PRIORITY_TAG = { high: 'red', medium: 'orange' };
const label = (v) => (v ? String(v).replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase()) : '');

function cell(content) {
  const td = document.createElement('td');
  td.className = 'govuk-table__cell';
  if (content instanceof Node) td.appendChild(content); else td.textContent = content;
  return td;
}

function row(item) {
  const tr = document.createElement('tr');
  tr.className = 'govuk-table__row';
  tr.dataset.alertId = item.id;
  tr.appendChild(cell(item.time_text));
  const person = document.createDocumentFragment();
  person.append(item.name, document.createElement('br'));
  const crn = document.createElement('span');
  crn.className = 'govuk-body-s';
  crn.textContent = item.crn;
  person.append(crn);
  tr.appendChild(cell(person));
  tr.appendChild(cell(label(item.kind) + (item.zone ? ` (zone ${item.zone})` : '')));
  const tag = document.createElement('strong');
  tag.className = `govuk-tag govuk-tag--${PRIORITY_TAG[item.priority] || 'grey'}`;
  tag.textContent = label(item.priority);
  tr.appendChild(cell(tag));
  tr.appendChild(cell(label(item.status) + (item.superseded ? ' (superseded by later data)' : '')));
  const link = document.createElement('a');
  link.className = 'govuk-link';
  link.href = item.href;
  link.textContent = 'Open';
  const hidden = document.createElement('span');
  hidden.className = 'govuk-visually-hidden';
  hidden.textContent = ` ${label(item.kind).toLowerCase()} alert for ${item.name}`;
  link.appendChild(hidden);
  tr.appendChild(cell(link));
  return tr;
}

let known = new Set([...body.querySelectorAll('tr[data-alert-id]')].map((tr) => tr.dataset.alertId));

async function poll() {
  try {
    const response = await fetch(table.dataset.source, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (!response.ok || !(response.headers.get('content-type') || '').includes('application/json')) return;
    const data = await response.json();
    const fresh = data.items.filter((i) => !known.has(i.id));
    body.replaceChildren(...data.items.map(row));
    known = new Set(data.items.map((i) => i.id));
    const n = data.items.length;
    count.textContent = `${n} alert${n === 1 ? '' : 's'}`;
    if (asOf) asOf.textContent = new Date(data.as_of).toLocaleString('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' });
    empty.hidden = n > 0;
    if (fresh.length) {
      const first = fresh[0];
      announcer.textContent = fresh.length === 1
        ? `New ${label(first.priority).toLowerCase()} priority alert: ${label(first.kind).toLowerCase()} for ${first.name}`
        : `${fresh.length} new alerts, the latest ${label(first.kind).toLowerCase()} for ${first.name}`;
    }
  } catch (e) {
    // A failed poll leaves the table as it is; the next one tries again.
  }
}

if (table && body) setInterval(poll, POLL_MS);
