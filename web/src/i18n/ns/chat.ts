/** Strings of the chat channel in the console: the header's live chats indicator. */
import type { Shape } from './shape';

export const zh = {
  title: '在线会话',
  button: '在线会话',
  empty: '当前没有进行中的在线会话',
  visitor: '访客',
  online: '在线',
  away: '已离开',
  awaitingReply: '待回复',
  started: '开始于 {{time}}',
  newChat: '新的在线咨询',
  newChatBody: '受理编号 {{number}}',
  open: '打开',
  hint: '访客通过网站上的在线客服小组件发起咨询，在工单页回复即可实时送达。',
};

export const en: Shape<typeof zh> = {
  title: 'Live chats',
  button: 'Live chats',
  empty: 'No conversation is going on',
  visitor: 'Visitor',
  online: 'online',
  away: 'away',
  awaitingReply: 'awaiting reply',
  started: 'started {{time}}',
  newChat: 'New chat',
  newChatBody: 'Request {{number}}',
  open: 'Open',
  hint: 'Visitors start these from the chat widget on the website; a reply on the request page reaches them at once.',
};
