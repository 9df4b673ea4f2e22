/** Strings of the agent console: queues, filters, saved views, bulk actions, registration, shortcuts. */
import type { Shape } from './shape';

export const zh = {
  title: '工单',
  nav: '工单',
  queue: { mine: '我的', team: '团队', all: '全部', unassigned: '未分派' },
  newRequest: '新建工单',
  walkIn: '窗口来访',
  walkInHint: '窗口来访登记：填写主题后点“登记”（或按 Ctrl+Enter）',
  columns: {
    number: '工单号', subject: '主题', customer: '客户', type: '类型', priority: '优先级', state: '状态', channel: '渠道',
    assignee: '处理人', team: '团队', due: '时限', created: '登记时间', activity: '最近活动',
  },
  filters: {
    search: '搜索工单号、主题、内容（中英文）', states: '状态', types: '类型', priorities: '优先级', channels: '渠道', category: '分类',
    clock: '时效', clockWarning: '即将超时', clockBreached: '已超时', escalation: '升级', escalationAny: '已升级', escalationPending: '升级待受理', tag: '标签', createdFrom: '开始日期', createdTo: '结束日期',
    open: '状态范围', openOnly: '未关闭', closedOnly: '已关闭', reset: '清除筛选',
  },
  sort: { label: '排序', created_desc: '最新登记', created_asc: '最早登记', due_asc: '时限最近', activity_desc: '最近活动' },
  views: {
    placeholder: '保存的视图', save: '保存视图', saveTitle: '保存当前筛选为视图', name: '视图名称', nameHint: '例如：我的超时投诉',
    saved: '视图“{{name}}”已保存', updated: '视图“{{name}}”已更新', deleted: '视图已删除', delete: '删除视图', deleteConfirm: '删除视图“{{name}}”？',
    update: '覆盖视图“{{name}}”（不新建）', none: '还没有保存的视图',
  },
  countdown: { left: '剩 {{time}}', overdue: '超 {{time}}', paused: '已暂停', none: '—', dayHour: '{{d}}天{{h}}小时', dueAt: '截止 {{time}}' },
  badge: { escalated: '已升级', greenChannel: '绿色通道' },
  list: {
    loadMore: '加载更多', end: '已全部加载', shown: '已显示 {{count}} 条', empty: '没有符合条件的工单',
    newArrivals: '{{count}} 条新工单', newArrivalsHint: '点击回到列表顶部', refreshing: '正在更新…',
  },
  bulk: {
    selected: '已选 {{count}} 条', assign: '批量分派', transition: '批量流转', clear: '取消选择',
    assignTitle: '分派 {{count}} 条工单', transitionTitle: '流转 {{count}} 条工单', team: '团队', assignee: '处理人', reason: '原因',
    reasonHint: '转派、重新打开、合并和等待客户时必须填写', action: '操作', needTarget: '请选择团队或处理人',
    allOrNothing: '批量操作全部成功或全部不执行：任何一条失败时，所有工单都保持原样。', done: '已更新 {{count}} 条工单',
    failed: '批量操作未执行，所有工单保持原样', submit: '执行', result: '反馈给客户的处理结果',
    blocked: '有 {{count}} 条工单当前的状态不能执行“{{action}}”（标红的行），请取消选择后再执行',
  },
  form: {
    title: '登记工单', walkInTitle: '窗口来访登记', type: '类型', priority: '优先级', channel: '渠道', subject: '主题', subjectHint: '客户的诉求，一句话',
    description: '详细描述', requester: '客户', existing: '已建档客户', anonymous: '未建档 / 匿名', customer: '选择客户', customerSearch: '输入姓名或电话号码搜索',
    contactName: '联系人', contactPhone: '联系电话', contactEmail: '电子邮箱', flags: '绿色通道', category: '分类', team: '团队', assignee: '处理人',
    assigneeHint: '留空则按路由规则自动分派', tags: '标签', tagsHint: '输入后回车', files: '附件', upload: '选择文件', uploading: '正在上传…',
    submit: '登记', submitHint: 'Ctrl+Enter 登记', registered: '已登记，工单号',
    defaultChannel: '“新建工单”默认使用您上次登记时选的渠道（记在本浏览器）',
  },
  shortcuts: {
    title: '键盘快捷键', button: '快捷键', next: '下移一行', prev: '上移一行', open: '打开所在行的工单', toggle: '选中 / 取消选中所在行',
    search: '聚焦搜索框', new: '新建工单', walkIn: '窗口来访登记', mine: '切换到“我的”', team: '切换到“团队”', all: '切换到“全部”', unassigned: '切换到“未分派”',
    help: '显示此帮助', submit: '在登记表单中提交', escape: '关闭弹窗 / 离开输入框', note: '在输入框中打字时快捷键不生效。', then: '再按',
  },
};

export const en: Shape<typeof zh> = {
  title: 'Requests',
  nav: 'Requests',
  queue: { mine: 'Mine', team: 'Team', all: 'All', unassigned: 'Unassigned' },
  newRequest: 'New request',
  walkIn: 'Walk-in',
  walkInHint: 'Walk-in visit: type the subject and click "Register" (or press Ctrl+Enter)',
  columns: {
    number: 'Number', subject: 'Subject', customer: 'Customer', type: 'Type', priority: 'Priority', state: 'State', channel: 'Channel',
    assignee: 'Assignee', team: 'Team', due: 'Due', created: 'Registered', activity: 'Last activity',
  },
  filters: {
    search: 'Search number, subject, text (Chinese and English)', states: 'State', types: 'Type', priorities: 'Priority', channels: 'Channel', category: 'Category',
    clock: 'Time limit', clockWarning: 'Due soon', clockBreached: 'Breached', escalation: 'Escalation', escalationAny: 'Escalated', escalationPending: 'Not yet taken up', tag: 'Tag', createdFrom: 'From', createdTo: 'To',
    open: 'Open or closed', openOnly: 'Open', closedOnly: 'Closed', reset: 'Clear filters',
  },
  sort: { label: 'Sort', created_desc: 'Newest', created_asc: 'Oldest', due_asc: 'Due soonest', activity_desc: 'Recent activity' },
  views: {
    placeholder: 'Saved views', save: 'Save view', saveTitle: 'Save the current filters as a view', name: 'View name', nameHint: 'e.g. My breached complaints',
    saved: 'View "{{name}}" saved', updated: 'View "{{name}}" updated', deleted: 'View deleted', delete: 'Delete view', deleteConfirm: 'Delete the view "{{name}}"?',
    update: 'Overwrite the view "{{name}}" instead', none: 'No saved views yet',
  },
  countdown: { left: '{{time}} left', overdue: '{{time}} over', paused: 'Paused', none: '—', dayHour: '{{d}}d {{h}}h', dueAt: 'Due {{time}}' },
  badge: { escalated: 'Escalated', greenChannel: 'Green channel' },
  list: {
    loadMore: 'Load more', end: 'All loaded', shown: '{{count}} shown', empty: 'No requests match',
    newArrivals: '{{count}} new', newArrivalsHint: 'Click to go to the top of the list', refreshing: 'Updating…',
  },
  bulk: {
    selected: '{{count}} selected', assign: 'Assign', transition: 'Move', clear: 'Clear selection',
    assignTitle: 'Assign {{count}} requests', transitionTitle: 'Move {{count}} requests', team: 'Team', assignee: 'Assignee', reason: 'Reason',
    reasonHint: 'Required to transfer, reopen, merge or wait on the customer', action: 'Action', needTarget: 'Choose a team or a person',
    allOrNothing: 'Bulk actions are all or nothing: if one request fails, none is changed.', done: '{{count}} requests updated',
    failed: 'Nothing was changed', submit: 'Apply', result: 'Result for the customer',
    blocked: '{{count}} of the requests cannot "{{action}}" in their current state (marked red): unselect them first',
  },
  form: {
    title: 'Register a request', walkInTitle: 'Walk-in visit', type: 'Type', priority: 'Priority', channel: 'Channel', subject: 'Subject', subjectHint: 'What the customer needs, in one line',
    description: 'Description', requester: 'Customer', existing: 'Known customer', anonymous: 'Unregistered / anonymous', customer: 'Customer', customerSearch: 'Search by name or phone number',
    contactName: 'Contact name', contactPhone: 'Phone', contactEmail: 'E-mail', flags: 'Green channel', category: 'Category', team: 'Team', assignee: 'Assignee',
    assigneeHint: 'Empty: assigned by the routing rules', tags: 'Tags', tagsHint: 'Type and press Enter', files: 'Files', upload: 'Choose files', uploading: 'Uploading…',
    submit: 'Register', submitHint: 'Ctrl+Enter registers', registered: 'Registered, number',
    defaultChannel: '"New request" starts with the channel you registered with last (remembered in this browser)',
  },
  shortcuts: {
    title: 'Keyboard shortcuts', button: 'Shortcuts', next: 'Next row', prev: 'Previous row', open: 'Open the focused request', toggle: 'Select / unselect the focused row',
    search: 'Focus the search box', new: 'New request', walkIn: 'Walk-in visit', mine: 'Go to "Mine"', team: 'Go to "Team"', all: 'Go to "All"', unassigned: 'Go to "Unassigned"',
    help: 'Show this help', submit: 'Submit the registration form', escape: 'Close a dialog / leave a text box', note: 'Shortcuts do nothing while you type in a text box.', then: 'then',
  },
};
