'use strict';

// The web chat is one more channel into the same path as every other: POST /api/messages with the
// owner token, channel "web", this browser's chat id and a fresh id for each message. Leap answers
// in the response, after recording the message and acting on it.

const TOKEN_KEY = 'leap.ownerToken';
const CHAT_KEY = 'leap.chatId';
const API = new URL('../api/messages', document.baseURI);

const $ = id => document.getElementById(id);

// Random hex; crypto.randomUUID exists only on https and localhost, this works wherever Leap is served.
function randomId() {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), b => b.toString(16).padStart(2, '0')).join('');
}

// One conversation per browser, so that Leap remembers what was said in it.
function chatId() {
  let id = localStorage.getItem(CHAT_KEY);
  if (!id) {
    id = 'web-' + randomId();
    localStorage.setItem(CHAT_KEY, id);
  }
  return id;
}

function say(text) {
  $('error').textContent = '';
  $('status').textContent = text;
}

function fail(text) {
  $('status').textContent = '';
  $('error').textContent = text;
}

function show(who, text) {
  const item = document.createElement('li');
  item.className = who;
  const speaker = document.createElement('span');
  speaker.className = 'visually-hidden';
  speaker.textContent = who === 'owner' ? 'You: ' : 'Leap: ';
  item.append(speaker, text);
  $('messages').append(item);
  item.scrollIntoView({ block: 'end' });
}

function askForToken() {
  $('chat').hidden = true;
  $('token-form').hidden = false;
  $('token').value = '';
  $('token').focus();
}

function openChat() {
  $('token-form').hidden = true;
  $('chat').hidden = false;
  $('message').focus();
}

function busy(working) {
  $('send').disabled = working;
  $('messages').setAttribute('aria-busy', String(working));
  if (working) {
    say('Leap is working on it…');
  }
}

// A message whose answer never arrived keeps its id: sending the same text again is a retry, and
// Leap acts on a message id once however often it arrives.
let unanswered = null;

async function send(text) {
  const retry = unanswered !== null && unanswered.text === text;
  const messageId = retry ? unanswered.messageId : randomId();
  unanswered = { text, messageId };
  if (!retry) {
    show('owner', text);
  }
  busy(true);
  let response;
  try {
    response = await fetch(API, {
      method: 'POST',
      headers: {
        'Authorization': 'Bearer ' + localStorage.getItem(TOKEN_KEY),
        'Content-Type': 'application/json'
      },
      body: JSON.stringify({ text, chatId: chatId(), messageId, channel: 'web' })
    });
  } catch (unreachable) {
    fail('Leap is unreachable: is it running? Send the message again once it is.');
    return false;
  } finally {
    busy(false);
  }
  if (response.status === 401) {
    localStorage.removeItem(TOKEN_KEY);
    fail('The token was refused. Enter the owner token again.');
    askForToken();
    return false;
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    fail('Leap could not answer (' + response.status + '): ' + (body.error || response.statusText));
    return false;
  }
  unanswered = null;
  say('');
  show('leap', body.reply);
  return true;
}

$('token-form').addEventListener('submit', event => {
  event.preventDefault();
  const token = $('token').value.trim();
  if (!token) {
    return;
  }
  localStorage.setItem(TOKEN_KEY, token);
  say('Token saved in this browser.');
  openChat();
});

$('message-form').addEventListener('submit', async event => {
  event.preventDefault();
  const text = $('message').value.trim();
  if (!text || $('send').disabled) {
    return;
  }
  if (await send(text)) {
    $('message').value = '';
  }
  if (!$('chat').hidden) {
    $('message').focus();
  }
});

$('message').addEventListener('keydown', event => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    $('message-form').requestSubmit();
  }
});

$('forget').addEventListener('click', () => {
  localStorage.removeItem(TOKEN_KEY);
  say('');
  askForToken();
});

if (localStorage.getItem(TOKEN_KEY)) {
  openChat();
} else {
  askForToken();
}
