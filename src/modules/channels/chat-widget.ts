/**
 * The embeddable chat widget, served at /embed/<org>/chat.js:
 *
 *   <script src="https://pledge.example.cn/embed/demo/chat.js" async></script>
 *
 * One self-contained script (no framework, no request to anyone but the Pledge server it came from): a
 * launcher button and a panel inside a Shadow DOM (the host page's styles do not reach in, ours do not leak
 * out); the name/contact form, then the conversation. The session token is kept in localStorage per Pledge
 * server and organization, so a reload resumes the conversation. Lines arrive over a Server-Sent Events
 * stream read with fetch (the token travels in a header, never in a URL that proxies log), which reconnects
 * with back-off and Last-Event-ID. Every text is put in with textContent, never as HTML.
 *
 * Options on the script tag: data-lang="zh-CN|en-US" (default: the browser's language), data-color="#1677ff".
 */

const STRINGS = {
  'zh-CN': {
    launcher: '在线客服', title: '在线客服', close: '收起', end: '结束会话',
    intro: '您好！请描述您的问题，客服会尽快在这里回复您。留下称呼和联系方式（可选），方便我们在您离开后继续联系。',
    name: '称呼（可选）', contact: '手机号或邮箱（可选）', message: '请描述您的问题', start: '开始咨询',
    privacy: '对话内容将作为服务请求记录，仅用于处理您的问题。',
    placeholder: '输入消息，Enter 发送，Shift+Enter 换行', send: '发送',
    number: '受理编号', connecting: '正在连接…', reconnecting: '连接中断，正在重新连接…',
    waiting: '已收到，客服将尽快回复。', waitingCustomer: '客服在等待您补充信息。', resolved: '客服已给出处理结果。如仍有问题，可以继续留言。',
    ended: '会话已结束，感谢您的咨询。', again: '发起新的咨询', failed: '发送失败，请稍后再试。', you: '我',
  },
  'en-US': {
    launcher: 'Chat with us', title: 'Online service', close: 'Minimize', end: 'End chat',
    intro: 'Hello! Tell us what you need and an agent will answer here shortly. Leave a name and a way to reach you (optional) in case you leave.',
    name: 'Your name (optional)', contact: 'Phone or e-mail (optional)', message: 'How can we help?', start: 'Start chat',
    privacy: 'This conversation is recorded as a service request and used only to handle it.',
    placeholder: 'Type a message: Enter sends, Shift+Enter for a new line', send: 'Send',
    number: 'Request number', connecting: 'Connecting…', reconnecting: 'Connection lost, reconnecting…',
    waiting: 'Received: an agent will answer shortly.', waitingCustomer: 'The agent is waiting for more information from you.', resolved: 'The agent has given a result. If anything is still unclear, just write.',
    ended: 'This conversation has ended. Thank you.', again: 'Start a new chat', failed: 'Could not send, please try again.', you: 'You',
  },
} as const;

const CSS = String.raw`
:host { all: initial; }
* { box-sizing: border-box; }
.root { font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; color: #1f1f1f; }
.launcher { position: fixed; right: 20px; bottom: 20px; z-index: 2147483000; border: 0; border-radius: 24px; padding: 12px 18px; background: var(--c); color: #fff; font: inherit; font-weight: 600; cursor: pointer; box-shadow: 0 4px 16px rgba(0,0,0,.2); display: flex; align-items: center; gap: 8px; }
.launcher:focus-visible, button:focus-visible, textarea:focus-visible, input:focus-visible { outline: 2px solid #000; outline-offset: 2px; }
.badge { min-width: 20px; height: 20px; border-radius: 10px; background: #ff4d4f; color: #fff; font-size: 12px; line-height: 20px; text-align: center; padding: 0 6px; }
.panel { position: fixed; right: 20px; bottom: 84px; z-index: 2147483000; width: 360px; height: 540px; max-height: calc(100vh - 104px); background: #fff; border-radius: 12px; box-shadow: 0 8px 32px rgba(0,0,0,.22); display: flex; flex-direction: column; overflow: hidden; }
.panel[hidden], [hidden] { display: none !important; }
@media (max-width: 480px) { .panel { right: 0; bottom: 0; width: 100vw; height: 100vh; max-height: none; border-radius: 0; } }
header { background: var(--c); color: #fff; padding: 10px 12px; display: flex; align-items: center; gap: 8px; }
header .t { flex: 1; min-width: 0; }
header .org { font-weight: 600; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
header .sub { font-size: 12px; opacity: .85; }
header button { background: rgba(255,255,255,.18); color: #fff; border: 0; border-radius: 6px; padding: 4px 8px; font: inherit; font-size: 12px; cursor: pointer; }
.status { background: #fffbe6; color: #614700; font-size: 12px; padding: 4px 12px; }
.form { padding: 16px; overflow: auto; display: flex; flex-direction: column; gap: 10px; }
.form p { margin: 0; color: #595959; }
.form .fine { font-size: 12px; color: #8c8c8c; }
label { display: flex; flex-direction: column; gap: 4px; font-size: 13px; color: #434343; }
input, textarea { font: inherit; color: inherit; border: 1px solid #d9d9d9; border-radius: 6px; padding: 6px 10px; width: 100%; background: #fff; }
textarea { resize: none; }
.primary { background: var(--c); color: #fff; border: 0; border-radius: 6px; padding: 8px 14px; font: inherit; font-weight: 600; cursor: pointer; }
.primary:disabled { opacity: .6; cursor: default; }
.error { color: #cf1322; font-size: 13px; }
.log { flex: 1; overflow-y: auto; padding: 12px; display: flex; flex-direction: column; gap: 8px; background: #f5f5f5; }
.line { max-width: 82%; display: flex; flex-direction: column; }
.line.visitor { align-self: flex-end; align-items: flex-end; }
.line.agent { align-self: flex-start; }
.meta { font-size: 11px; color: #8c8c8c; margin: 0 4px 2px; }
.bubble { padding: 8px 12px; border-radius: 12px; white-space: pre-wrap; overflow-wrap: anywhere; }
.visitor .bubble { background: var(--c); color: #fff; border-bottom-right-radius: 4px; }
.agent .bubble { background: #fff; border: 1px solid #e8e8e8; border-bottom-left-radius: 4px; }
.note { align-self: center; font-size: 12px; color: #8c8c8c; text-align: center; padding: 0 12px; }
.composer { display: flex; gap: 8px; padding: 10px; border-top: 1px solid #f0f0f0; align-items: flex-end; }
.composer textarea { height: 60px; flex: 1; }
.composer .primary { flex: none; white-space: nowrap; }
.ended { padding: 12px; border-top: 1px solid #f0f0f0; display: flex; flex-direction: column; gap: 8px; align-items: center; color: #595959; }
`;

/** The widget's behaviour. Plain browser JavaScript; `CONFIG` is put in front of it by {@link chatWidgetScript}. */
const SCRIPT = String.raw`
  var script = document.currentScript;
  var flag = '__pledgeChat:' + CONFIG.org;
  if (!script || window[flag]) return;
  window[flag] = true;
  var origin = new URL(script.src, location.href).origin;
  var api = origin + '/api/v1/chat/' + encodeURIComponent(CONFIG.org);
  var lang = /^zh/i.test(script.getAttribute('data-lang') || navigator.language || '') ? 'zh-CN' : 'en-US';
  var T = STRINGS[lang];
  var color = script.getAttribute('data-color') || '';
  if (!/^#[0-9a-fA-F]{3,8}$/.test(color)) color = '#1677ff';
  var storeKey = 'pledge-chat:' + origin + ':' + CONFIG.org;

  // readAt: the time of the newest line the visitor has had in front of them (the badge counts agent lines after it).
  var s = { token: null, number: null, readAt: '', closed: false, lastId: null, seen: {}, unread: 0, retry: 0, ctrl: null, timer: 0 };
  try {
    var stored = JSON.parse(localStorage.getItem(storeKey) || 'null');
    if (stored && typeof stored.token === 'string') { s.token = stored.token; s.number = stored.number || null; s.readAt = stored.readAt || ''; }
  } catch (e) { /* storage refused (private mode): the conversation lasts as long as the page */ }
  function save() {
    try {
      if (s.token) localStorage.setItem(storeKey, JSON.stringify({ token: s.token, number: s.number, readAt: s.readAt }));
      else localStorage.removeItem(storeKey);
    } catch (e) { /* see above */ }
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    for (var k in attrs || {}) {
      if (k === 'text') node.textContent = attrs[k];
      else if (k === 'class') node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    }
    (children || []).forEach(function (c) { node.appendChild(c); });
    return node;
  }

  var host = el('div', { id: 'pledge-chat', 'data-org': CONFIG.org });
  var shadow = host.attachShadow({ mode: 'open' });
  if (shadow.adoptedStyleSheets !== undefined && typeof CSSStyleSheet === 'function') {
    // A constructed style sheet also works under a host page's strict style-src policy.
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    shadow.adoptedStyleSheets = [sheet];
  } else {
    shadow.appendChild(el('style', { text: CSS }));
  }
  var root = el('div', { class: 'root', lang: lang });
  root.style.setProperty('--c', color);
  shadow.appendChild(root);

  var badge = el('span', { class: 'badge', hidden: '', 'data-testid': 'chat-unread' });
  var launcher = el('button', { class: 'launcher', type: 'button', 'aria-expanded': 'false', 'data-testid': 'chat-launcher' }, [el('span', { text: T.launcher }), badge]);
  var orgLine = el('div', { class: 'org', text: CONFIG.name });
  var sub = el('div', { class: 'sub', text: T.title, 'data-testid': 'chat-number' });
  var endBtn = el('button', { type: 'button', hidden: '', 'data-testid': 'chat-end', text: T.end });
  var closeBtn = el('button', { type: 'button', 'aria-label': T.close, 'data-testid': 'chat-minimize', text: '—' });
  var status = el('div', { class: 'status', role: 'status', hidden: '', 'data-testid': 'chat-status' });

  var nameInput = el('input', { type: 'text', maxlength: '100', autocomplete: 'name', 'data-testid': 'chat-name' });
  var contactInput = el('input', { type: 'text', maxlength: '200', autocomplete: 'email', 'data-testid': 'chat-contact' });
  var firstInput = el('textarea', { rows: '4', maxlength: '4000', required: '', 'data-testid': 'chat-first' });
  var formError = el('div', { class: 'error', role: 'alert', 'data-testid': 'chat-form-error' });
  var startBtn = el('button', { class: 'primary', type: 'submit', 'data-testid': 'chat-start', text: T.start });
  var form = el('form', { class: 'form', 'data-testid': 'chat-form' }, [
    el('p', { text: T.intro }),
    el('label', {}, [el('span', { text: T.name }), nameInput]),
    el('label', {}, [el('span', { text: T.contact }), contactInput]),
    el('label', {}, [el('span', { text: T.message }), firstInput]),
    formError, startBtn,
    el('p', { class: 'fine', text: T.privacy }),
  ]);

  var log = el('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'data-testid': 'chat-log' });
  var input = el('textarea', { rows: '2', maxlength: '4000', placeholder: T.placeholder, 'aria-label': T.placeholder, 'data-testid': 'chat-input' });
  var sendBtn = el('button', { class: 'primary', type: 'button', 'data-testid': 'chat-send', text: T.send });
  var composer = el('div', { class: 'composer' }, [input, sendBtn]);
  var againBtn = el('button', { class: 'primary', type: 'button', 'data-testid': 'chat-again', text: T.again });
  var endedBox = el('div', { class: 'ended', hidden: '', 'data-testid': 'chat-ended' }, [el('div', { text: T.ended }), againBtn]);
  var conversation = el('div', { hidden: '', style: 'display:flex;flex-direction:column;flex:1;min-height:0' }, [log, composer, endedBox]);

  var panel = el('div', { class: 'panel', role: 'dialog', 'aria-label': T.title, hidden: '', 'data-testid': 'chat-panel' }, [
    el('header', {}, [el('div', { class: 't' }, [orgLine, sub]), endBtn, closeBtn]),
    status, form, conversation,
  ]);
  root.appendChild(panel);
  root.appendChild(launcher);

  function show(node, visible) { if (visible) node.removeAttribute('hidden'); else node.setAttribute('hidden', ''); }
  function setStatus(text) { status.textContent = text; show(status, !!text); }
  function setUnread(n) { s.unread = n; badge.textContent = String(n); show(badge, n > 0); }
  function isOpen() { return !panel.hasAttribute('hidden'); }

  function time(iso) {
    try { return new Date(iso).toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' }); } catch (e) { return ''; }
  }
  function scrollDown() { log.scrollTop = log.scrollHeight; }
  function note(text) { log.appendChild(el('div', { class: 'note', 'data-testid': 'chat-note', text: text })); scrollDown(); }
  function addLine(m) {
    if (s.seen[m.id]) return;
    s.seen[m.id] = m.at;
    var who = m.from === 'visitor' ? T.you : m.authorName;
    log.appendChild(el('div', { class: 'line ' + m.from, 'data-testid': 'chat-line', 'data-from': m.from, 'data-id': m.id }, [
      el('div', { class: 'meta', text: who + ' · ' + time(m.at) }),
      el('div', { class: 'bubble', text: m.body }),
    ]));
    scrollDown();
    if (m.at > s.readAt) {
      if (isOpen()) markRead(m.at);
      else if (m.from === 'agent') setUnread(s.unread + 1);
    }
  }
  function markRead(at) {
    if (at > s.readAt) { s.readAt = at; save(); }
  }

  function showForm() {
    show(form, true); show(conversation, false); show(endBtn, false);
    sub.textContent = T.title;
  }
  function showConversation() {
    show(form, false); show(conversation, true); show(endBtn, !s.closed);
    show(composer, !s.closed); show(endedBox, s.closed);
    sub.textContent = s.number ? T.number + ' ' + s.number : T.title;
  }

  function errorText(res, body) {
    var e = body && body.error;
    if (!e) return T.failed;
    var issues = e.details && Array.isArray(e.details.issues) ? e.details.issues : [];
    return issues.length ? issues.map(function (i) { return i.message; }).join('; ') : e.message || T.failed;
  }
  function call(method, path, body) {
    var headers = { 'accept': 'application/json', 'accept-language': lang };
    if (s.token) headers['x-chat-token'] = s.token;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return fetch(api + path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'omit', cache: 'no-store' })
      .then(function (res) {
        return res.text().then(function (text) {
          var parsed = null;
          try { parsed = text ? JSON.parse(text) : null; } catch (e) { parsed = null; }
          return { res: res, body: parsed };
        });
      });
  }

  function forget() {
    stop();
    s.token = null; s.number = null; s.closed = false; s.lastId = null; s.seen = {};
    save();
    while (log.firstChild) log.removeChild(log.firstChild);
    setStatus('');
    showForm();
  }
  function ended() {
    s.closed = true;
    stop();
    // An ended conversation is not kept: on a shared computer the next person must not find it.
    s.token = null;
    save();
    setStatus('');
    showConversation();
  }
  function stop() {
    if (s.ctrl) s.ctrl.abort();
    s.ctrl = null;
    clearTimeout(s.timer);
  }

  // ----- the stream -----
  function connect() {
    if (!s.token || s.closed) return;
    stop();
    var ctrl = new AbortController();
    s.ctrl = ctrl;
    var headers = { 'accept': 'text/event-stream', 'x-chat-token': s.token };
    if (s.lastId) headers['last-event-id'] = s.lastId;
    if (!s.retry) setStatus(T.connecting);
    fetch(api + '/stream', { headers: headers, signal: ctrl.signal, credentials: 'omit', cache: 'no-store' })
      .then(function (res) {
        if (res.status === 401 || res.status === 404) { forget(); return; }
        if (!res.ok || !res.body) throw new Error('HTTP ' + res.status);
        return read(res.body.getReader(), ctrl);
      })
      .then(function () { if (s.ctrl === ctrl) again(); }, function () { if (s.ctrl === ctrl && !ctrl.signal.aborted) again(); });
  }
  function again() {
    if (s.closed || !s.token) return;
    var delays = [1000, 2000, 5000, 10000, 20000];
    var delay = delays[Math.min(s.retry, delays.length - 1)];
    s.retry += 1;
    setStatus(T.reconnecting);
    clearTimeout(s.timer);
    s.timer = setTimeout(connect, delay);
  }
  function read(reader, ctrl) {
    var decoder = new TextDecoder();
    var buffer = '';
    function pump() {
      return reader.read().then(function (chunk) {
        if (chunk.done || ctrl.signal.aborted) return;
        buffer += decoder.decode(chunk.value, { stream: true });
        var blocks = buffer.split(/\r?\n\r?\n/);
        buffer = blocks.pop();
        blocks.forEach(dispatch);
        return pump();
      });
    }
    return pump();
  }
  function dispatch(block) {
    var data = [];
    var id = null;
    block.split(/\r?\n/).forEach(function (line) {
      if (line.indexOf('data:') === 0) data.push(line.slice(5).replace(/^ /, ''));
      else if (line.indexOf('id:') === 0) id = line.slice(3).trim();
    });
    if (!data.length) return;
    var event;
    try { event = JSON.parse(data.join('\n')); } catch (e) { return; }
    if (id) s.lastId = id;
    handle(event);
  }
  function handle(event) {
    if (event.type === 'session') {
      s.retry = 0;
      setStatus('');
      s.number = event.requestNumber;
      save();
      if (event.closed) s.closed = true;
      showConversation();
    } else if (event.type === 'message') {
      addLine(event.message);
    } else if (event.type === 'state') {
      if (event.state === 'feedback') note(T.resolved);
      else if (event.state === 'waiting_customer') note(T.waitingCustomer);
    } else if (event.type === 'closed') {
      ended();
    }
  }

  // ----- the visitor's actions -----
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var first = firstInput.value.trim();
    if (!first) { firstInput.focus(); return; }
    startBtn.disabled = true;
    formError.textContent = '';
    call('POST', '/sessions', { name: nameInput.value.trim() || undefined, contact: contactInput.value.trim() || undefined, firstMessage: first })
      .then(function (r) {
        if (!r.res.ok) { formError.textContent = errorText(r.res, r.body); return; }
        s.token = r.body.sessionToken; s.number = r.body.requestNumber; s.closed = false; s.lastId = null; s.seen = {}; s.retry = 0;
        save();
        firstInput.value = '';
        showConversation();
        note(T.waiting);
        connect();
        input.focus();
      }, function () { formError.textContent = T.failed; })
      .then(function () { startBtn.disabled = false; });
  });

  function send() {
    var body = input.value.trim();
    if (!body || sendBtn.disabled) return;
    sendBtn.disabled = true;
    call('POST', '/messages', { body: body })
      .then(function (r) {
        if (r.res.ok) { input.value = ''; addLine(r.body); return; }
        var code = r.body && r.body.error && r.body.error.code;
        if (code === 'chat.closed') ended();
        else if (r.res.status === 404 || r.res.status === 401) forget();
        else note(errorText(r.res, r.body));
      }, function () { note(T.failed); })
      .then(function () { sendBtn.disabled = false; input.focus(); });
  }
  sendBtn.addEventListener('click', send);
  input.addEventListener('keydown', function (e) {
    // Enter while an input method is composing (pinyin) picks a candidate; it must not send.
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) { e.preventDefault(); send(); }
  });

  endBtn.addEventListener('click', function () {
    endBtn.disabled = true;
    call('POST', '/close', {}).then(function (r) {
      if (r.res.ok || r.res.status === 404) ended();
    }, function () { note(T.failed); }).then(function () { endBtn.disabled = false; });
  });
  againBtn.addEventListener('click', forget);

  function toggle(open) {
    show(panel, open);
    launcher.setAttribute('aria-expanded', String(open));
    if (open) {
      setUnread(0);
      for (var id in s.seen) markRead(s.seen[id]);
      scrollDown();
      (s.closed ? againBtn : s.token ? input : nameInput).focus();
    }
  }
  launcher.addEventListener('click', function () { toggle(!isOpen()); });
  closeBtn.addEventListener('click', function () { toggle(false); launcher.focus(); });

  if (s.token) { showConversation(); connect(); } else { showForm(); }
  function mount() { document.body.appendChild(host); }
  if (document.body) mount(); else document.addEventListener('DOMContentLoaded', mount);
`;

/** JSON that is also safe inside an HTML script element and in every JavaScript engine (U+2028/2029). */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** The widget script for one organization. */
export function chatWidgetScript(org: { code: string; name: string }): string {
  return `/* Pledge chat widget (${org.code.replace(/[^A-Za-z0-9_-]/g, '')}) */
(function () {
  'use strict';
  var CONFIG = ${scriptJson({ org: org.code, name: org.name })};
  var STRINGS = ${scriptJson(STRINGS)};
  var CSS = ${scriptJson(CSS.replace(/\s*\n\s*/g, '\n').trim())};
${SCRIPT}})();
`;
}
