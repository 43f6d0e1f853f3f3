<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AgreementsPanel</name>
    <message>
        <source>新建协议</source>
        <translation>New agreement</translation>
    </message>
    <message>
        <source>删除协议</source>
        <translation>Delete agreement</translation>
    </message>
    <message>
        <source>附加扫描件…</source>
        <translation>Attach scan…</translation>
    </message>
    <message>
        <source>打开扫描件</source>
        <translation>Open scan</translation>
    </message>
    <message>
        <source>按协议价结算时，报到结束后每名未到人员退还的比例（按 单价 × 计划天数 计）；据实结算不另退费。</source>
        <translation>At the agreed price: the share credited back for each no-show once the roll call is closed (of price × planned days). At cost there is no separate credit.</translation>
    </message>
    <message>
        <source>协议</source>
        <translation>Agreement</translation>
    </message>
    <message>
        <source>协议编号</source>
        <translation>Agreement number</translation>
    </message>
    <message>
        <source>签订日期</source>
        <translation>Signed on</translation>
    </message>
    <message>
        <source>有效期至</source>
        <translation>Valid to</translation>
    </message>
    <message>
        <source>今年批次</source>
        <translation>Batches this year</translation>
    </message>
    <message>
        <source>今年人数</source>
        <translation>People this year</translation>
    </message>
    <message>
        <source>单价（元/人天）</source>
        <translation>Price (yuan/person-day)</translation>
    </message>
    <message>
        <source>结算方式</source>
        <translation>Charge basis</translation>
    </message>
    <message>
        <source>未到退费 {0}</source>
        <translation>No-show credit: {0}</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>扫描件</source>
        <translation>Scan</translation>
    </message>
    <message>
        <source>不限</source>
        <translation>No limit</translation>
    </message>
    <message>
        <source>生效日期</source>
        <translation>Valid from</translation>
    </message>
    <message>
        <source>终止日期</source>
        <translation>Valid to</translation>
    </message>
    <message>
        <source>年度批次配额</source>
        <translation>Yearly batch quota</translation>
    </message>
    <message>
        <source>年度人数配额</source>
        <translation>Yearly people quota</translation>
    </message>
    <message>
        <source>协议单价（元/人天）</source>
        <translation>Agreed price (yuan/person-day)</translation>
    </message>
    <message>
        <source>未定</source>
        <translation>Not set</translation>
    </message>
    <message>
        <source>未到退费比例</source>
        <translation>No-show credit</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>选择协议扫描件</source>
        <translation>Choose the scan of the agreement</translation>
    </message>
    <message>
        <source>扫描件 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff);;所有文件 (*)</source>
        <translation>Scans (*.pdf *.jpg *.jpeg *.png *.tif *.tiff);;All files (*)</translation>
    </message>
    <message>
        <source>扫描件已保存到 {0}</source>
        <translation>Scan saved to {0}</translation>
    </message>
</context>
<context>
    <name>AnswerDialog</name>
    <message>
        <source>登记基地回复</source>
        <translation>Record the base&apos;s answer</translation>
    </message>
    <message>
        <source>基地的回复</source>
        <translation>The base&apos;s answer</translation>
    </message>
    <message>
        <source>基地确认人</source>
        <translation>Confirmed by (at the base)</translation>
    </message>
    <message>
        <source>回复日期</source>
        <translation>Answered on</translation>
    </message>
    <message>
        <source>基地编号</source>
        <translation>Base&apos;s reference</translation>
    </message>
    <message>
        <source>基地的变更</source>
        <translation>What the base changed</translation>
    </message>
    <message>
        <source>拒绝原因</source>
        <translation>Reason for declining</translation>
    </message>
    <message>
        <source>如：只能提供 40 间房，原为 45 间</source>
        <translation>e.g. 40 rooms instead of 45</translation>
    </message>
    <message>
        <source>{0}：第 {1} 版预订单，{2}发出</source>
        <translation>{0}: order edition {1}, sent {2}</translation>
    </message>
    <message>
        <source>预订单发出后批次有变更（{0}），基地只能确认新的内容：请先把变更通知或新的预订单发给基地并标记已发出。这里只能登记基地拒绝。</source>
        <translation>The batch changed after the order was sent ({0}); the base can only confirm the new content: send the change notice or the new order and mark it sent first. Only a decline can be recorded here.</translation>
    </message>
    <message>
        <source>登记回复</source>
        <translation>Record answer</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>请写明基地改了什么（如“只能提供 40 间房，原为 45 间”）。</source>
        <translation>Say what the base changed (e.g. “40 rooms instead of 45”).</translation>
    </message>
    <message>
        <source>请填写基地拒绝的原因。</source>
        <translation>Give the reason the base declined.</translation>
    </message>
</context>
<context>
    <name>AuditDialog</name>
    <message>
        <source>审计日志</source>
        <translation>Audit log</translation>
    </message>
    <message>
        <source>全部记录</source>
        <translation>All records</translation>
    </message>
    <message>
        <source>全部用户</source>
        <translation>All users</translation>
    </message>
    <message>
        <source>记录名称或内容…</source>
        <translation>Record or content…</translation>
    </message>
    <message>
        <source>查询</source>
        <translation>Search</translation>
    </message>
    <message>
        <source>从</source>
        <translation>From</translation>
    </message>
    <message>
        <source>到</source>
        <translation>to</translation>
    </message>
    <message numerus="yes">
        <source>%n 条记录</source>
        <translation>
            <numerusform>%n record</numerusform>
            <numerusform>%n records</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AuditView</name>
    <message>
        <source>新建</source>
        <translation>Create</translation>
    </message>
    <message>
        <source>修改</source>
        <translation>Change</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>归档</source>
        <translation>Archive</translation>
    </message>
    <message>
        <source>取消归档</source>
        <translation>Unarchive</translation>
    </message>
    <message>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>导出</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>打印</source>
        <translation>Print</translation>
    </message>
    <message>
        <source>演示数据</source>
        <translation>Demo data</translation>
    </message>
    <message>
        <source>匿名化</source>
        <translation>Anonymise</translation>
    </message>
    <message>
        <source>批次</source>
        <extracomment>Fields logged under one name that read as another field of the core&apos;s catalogue (messages.field_label). Coded values and the enumeration that names them (recuperation/labels.py).</extracomment>
        <translation>Batches</translation>
    </message>
    <message>
        <source>取消原因</source>
        <translation>Reason for cancelling</translation>
    </message>
    <message>
        <source>住宿安排</source>
        <translation>Lodging</translation>
    </message>
    <message>
        <source>行程</source>
        <translation>Itinerary</translation>
    </message>
    <message>
        <source>性别</source>
        <translation>Sex</translation>
    </message>
    <message>
        <source>出生日期</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <source>劳模</source>
        <translation>Model worker</translation>
    </message>
    <message>
        <source>申报日期</source>
        <translation>Application date</translation>
    </message>
    <message>
        <source>复核日期</source>
        <translation>Re-check due</translation>
    </message>
    <message>
        <source>扫描件</source>
        <translation>Scan</translation>
    </message>
    <message>
        <source>已归档</source>
        <translation>Archived</translation>
    </message>
    <message>
        <source>设定值</source>
        <translation>Setting</translation>
    </message>
    <message>
        <source>完整证件号</source>
        <translation>Full ID number</translation>
    </message>
    <message>
        <source>完整手机号</source>
        <translation>Full phone number</translation>
    </message>
    <message>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>用户</source>
        <translation>User</translation>
    </message>
    <message>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>记录</source>
        <translation>Record</translation>
    </message>
    <message>
        <source>字段</source>
        <translation>Field</translation>
    </message>
    <message>
        <source>原值</source>
        <translation>Old value</translation>
    </message>
    <message>
        <source>新值</source>
        <translation>New value</translation>
    </message>
</context>
<context>
    <name>BasesPanel</name>
    <message>
        <source>需关注</source>
        <translation>Needs attention</translation>
    </message>
    <message>
        <source>新建基地</source>
        <translation>New base</translation>
    </message>
    <message>
        <source>认定</source>
        <translation>Certification</translation>
    </message>
    <message>
        <source>入住情况</source>
        <translation>Occupancy</translation>
    </message>
    <message>
        <source>价目表</source>
        <translation>Rate cards</translation>
    </message>
    <message>
        <source>实地考察</source>
        <translation>Inspections</translation>
    </message>
    <message>
        <source>评分</source>
        <translation>Scorecard</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>乡镇</source>
        <translation>Township</translation>
    </message>
    <message>
        <source>床位</source>
        <translation>Beds</translation>
    </message>
    <message>
        <source>认定级别</source>
        <translation>Level</translation>
    </message>
    <message>
        <source>认定状态</source>
        <translation>Certification</translation>
    </message>
    <message>
        <source>有效期至</source>
        <translation>Valid to</translation>
    </message>
    <message>
        <source>复核日期</source>
        <translation>Re-check due</translation>
    </message>
    <message>
        <source>乡镇（街道）</source>
        <translation>Township (subdistrict)</translation>
    </message>
    <message>
        <source>地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>联系人</source>
        <translation>Contact</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Contact phone</translation>
    </message>
    <message>
        <source>床位数</source>
        <translation>Beds</translation>
    </message>
    <message>
        <source>房间数</source>
        <translation>Rooms</translation>
    </message>
    <message>
        <source>餐位数</source>
        <translation>Dining seats</translation>
    </message>
    <message>
        <source>会议座位数</source>
        <translation>Meeting seats</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Notes</translation>
    </message>
</context>
<context>
    <name>BatchesPage</name>
    <message>
        <source>批次列表</source>
        <translation>Batch list</translation>
    </message>
    <message>
        <source>日程计划</source>
        <translation>Planner</translation>
    </message>
</context>
<context>
    <name>BatchesPanel</name>
    <message>
        <source>全部年份</source>
        <extracomment>The room beside each tab title of the batch&apos;s editor: its nine tabs fit beside the list at 1366×768 in Chinese and in English, without scroll buttons hiding 基本信息 (the style&apos;s own is 24 px in Fusion). Measured in English at 6 px: 471 px of the editor&apos;s 493 with 反馈与事件 untranslated; an English title of up to about ten letters (“After trip”) still fits, a longer one (“Feedback &amp; incidents”, 531 px) does not. The column of the batch list shown whole beside the editor (离开), and the list&apos;s share of a wide window. Who changes a batch&apos;s status: confirming it is an approval (负责人), any other change is planning.</extracomment>
        <translation>All years</translation>
    </message>
    <message>
        <source>全部状态</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <source>全年</source>
        <translation>Whole year</translation>
    </message>
    <message>
        <source>{0}月</source>
        <translation>Month {0}</translation>
    </message>
    <message>
        <source>全部类型</source>
        <translation>All kinds</translation>
    </message>
    <message>
        <source>全部基地</source>
        <translation>All bases</translation>
    </message>
    <message>
        <source>全部合作单位</source>
        <translation>All partners</translation>
    </message>
    <message>
        <source>新建批次</source>
        <translation>New batch</translation>
    </message>
    <message>
        <source>取消批次…</source>
        <translation>Cancel batch…</translation>
    </message>
    <message>
        <source>改变状态…</source>
        <translation>Change status…</translation>
    </message>
    <message>
        <source>打印…</source>
        <translation>Print…</translation>
    </message>
    <message>
        <source>行程</source>
        <translation>Plan</translation>
    </message>
    <message>
        <source>批次详情</source>
        <translation>Summary</translation>
    </message>
    <message>
        <source>名单</source>
        <translation>Roster</translation>
    </message>
    <message>
        <source>分房与用餐</source>
        <translation>Rooms</translation>
    </message>
    <message>
        <source>接待预订单</source>
        <translation>Orders</translation>
    </message>
    <message>
        <source>结算</source>
        <translation>Settlement</translation>
    </message>
    <message>
        <source>问卷反馈</source>
        <translation>Feedback</translation>
    </message>
    <message>
        <source>事件</source>
        <translation>Incidents</translation>
    </message>
    <message>
        <source>反馈与事件</source>
        <translation>After trip</translation>
    </message>
    <message>
        <source>编号</source>
        <extracomment>The year the rows cover (None: every year). The list reads one year at a time, so that opening it costs the same with twenty years on file as with one; the other filters work on those rows.</extracomment>
        <translation>Code</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>合作单位</source>
        <translation>Partner</translation>
    </message>
    <message>
        <source>线路</source>
        <translation>Route</translation>
    </message>
    <message>
        <source>到达</source>
        <translation>Arrival</translation>
    </message>
    <message>
        <source>离开</source>
        <translation>Departure</translation>
    </message>
    <message>
        <source>天数</source>
        <translation>Days</translation>
    </message>
    <message>
        <source>计划人数</source>
        <translation>Planned</translation>
    </message>
    <message>
        <source>名单人数</source>
        <translation>On roster</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>领队</source>
        <translation>Leader</translation>
    </message>
    <message>
        <source>导游</source>
        <translation>Guide</translation>
    </message>
    <message>
        <source>留空则自动编号</source>
        <translation>Leave empty for the next number</translation>
    </message>
    <message>
        <source>合作协议</source>
        <translation>Agreement</translation>
    </message>
    <message>
        <source>到达日期</source>
        <translation>Arrival</translation>
    </message>
    <message>
        <source>离开日期</source>
        <translation>Departure</translation>
    </message>
    <message>
        <source>领队电话</source>
        <translation>Leader&apos;s phone</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Notes</translation>
    </message>
    <message numerus="yes">
        <source>已保存：{0}（%n 条提醒，见批次详情）</source>
        <comment>a saved batch and its findings</comment>
        <translation>
            <numerusform>Saved: {0} (%n warning, see the batch details)</numerusform>
            <numerusform>Saved: {0} (%n warnings, see the batch details)</numerusform>
        </translation>
    </message>
    <message>
        <source>（不选线路）</source>
        <translation>(no route)</translation>
    </message>
    <message>
        <source>（无协议）</source>
        <translation>(no agreement)</translation>
    </message>
    <message>
        <source>不能保存</source>
        <translation>Cannot save</translation>
    </message>
    <message>
        <source>这个批次的住宿与行程还没有读出，不能保存。请按 F5 刷新后再试。</source>
        <translation>This batch&apos;s lodging and itinerary have not been read yet, so it cannot be saved. Press F5 and try again.</translation>
    </message>
    <message>
        <source>修改已结束的批次</source>
        <translation>Changing a closed batch</translation>
    </message>
    <message>
        <source>批次 {0} 的状态是“{1}”。修改它的原因（记入批次历史）：</source>
        <translation>Batch {0} is “{1}”. The reason for changing it (kept in the batch&apos;s history):</translation>
    </message>
    <message>
        <source>保存修改</source>
        <translation>Save the change</translation>
    </message>
    <message>
        <source>暂不保存</source>
        <translation>Don&apos;t save</translation>
    </message>
    <message>
        <source>取消批次</source>
        <translation>Cancel batch</translation>
    </message>
    <message>
        <source>取消批次 {0} 的原因：</source>
        <translation>Why is batch {0} cancelled?</translation>
    </message>
    <message>
        <source>取消这个批次</source>
        <translation>Cancel the batch</translation>
    </message>
    <message>
        <source>不取消</source>
        <translation>Keep it</translation>
    </message>
    <message numerus="yes">
        <source>批次 {0} 有 %n 条提醒：</source>
        <comment>warnings before confirming</comment>
        <translation>
            <numerusform>Batch {0} has %n warning:</numerusform>
            <numerusform>Batch {0} has %n warnings:</numerusform>
        </translation>
    </message>
    <message>
        <source>仍要确认吗？</source>
        <translation>Confirm it anyway?</translation>
    </message>
    <message>
        <source>确认批次</source>
        <translation>Confirm the batch</translation>
    </message>
    <message>
        <source>{0} 已改为“{1}”</source>
        <translation>{0} is now “{1}”</translation>
    </message>
    <message>
        <source>预订单未确认</source>
        <translation>Order not confirmed</translation>
    </message>
    <message>
        <source>行程单</source>
        <translation>Itinerary</translation>
    </message>
    <message>
        <source>团员名单</source>
        <translation>Manifest</translation>
    </message>
    <message>
        <source>名单（完整证件号，供保险）</source>
        <translation>Manifest with full ID numbers (for the insurer)</translation>
    </message>
    <message>
        <source>分房表与用餐人数</source>
        <translation>Rooming list and meal counts</translation>
    </message>
    <message>
        <source>导出名单（Excel）…</source>
        <translation>Export roster (Excel)…</translation>
    </message>
    <message>
        <source>导出本年批次一览（Excel）…</source>
        <translation>Export this year&apos;s batch list (Excel)…</translation>
    </message>
    <message>
        <source>出团通知书（PDF）</source>
        <translation>Departure notice (PDF)</translation>
    </message>
    <message>
        <source>出团通知书与名单（Excel）…</source>
        <translation>Departure notice with roster (Excel)…</translation>
    </message>
    <message>
        <source>编辑出团通知书…</source>
        <translation>Edit departure notice…</translation>
    </message>
    <message>
        <source>保险与保险名单…</source>
        <translation>Insurance and insurer&apos;s list…</translation>
    </message>
    <message>
        <source>保存工作簿</source>
        <translation>Save workbook</translation>
    </message>
    <message>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbooks (*.xlsx)</translation>
    </message>
    <message>
        <source>出团通知书</source>
        <translation>Departure notice</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>车辆</source>
        <translation>Vehicle</translation>
    </message>
    <message>
        <source>报到表</source>
        <translation>Check-in sheet</translation>
    </message>
    <message>
        <source>无需结算</source>
        <translation>Nothing due</translation>
    </message>
    <message>
        <source>尚未结算</source>
        <translation>Not settled yet</translation>
    </message>
    <message numerus="yes">
        <source>%n 个基地{0}</source>
        <comment>bases at a settlement state</comment>
        <translation>
            <numerusform>{0} at %n base</numerusform>
            <numerusform>{0} at %n bases</numerusform>
        </translation>
    </message>
    <message>
        <source>没有登记保险</source>
        <translation>No insurance on file</translation>
    </message>
    <message>
        <source>{0} {1}，有效</source>
        <comment>an insurer, a policy number</comment>
        <translation>{0} {1}, valid</translation>
    </message>
    <message>
        <source>{0} {1}，不符合要求：{2}</source>
        <comment>an insurer, a policy number, what is wrong</comment>
        <translation>{0} {1}, falls short: {2}</translation>
    </message>
    <message numerus="yes">
        <source>{0} – {1}（%n 天）</source>
        <comment>a batch&apos;s dates and its days</comment>
        <translation>
            <numerusform>{0} – {1} (%n day)</numerusform>
            <numerusform>{0} – {1} (%n days)</numerusform>
        </translation>
    </message>
    <message>
        <source>保险</source>
        <translation>Insurance</translation>
    </message>
    <message>
        <source>错误</source>
        <translation>Error</translation>
    </message>
    <message>
        <source>提醒</source>
        <translation>Warn</translation>
    </message>
    <message>
        <source>{0}：{1}</source>
        <comment>a finding: its severity and its message</comment>
        <translation>{0}: {1}</translation>
    </message>
    <message>
        <source>检查结果</source>
        <translation>Checks</translation>
    </message>
    <message>
        <source>各项规则检查均通过。</source>
        <translation>Every rule check passed.</translation>
    </message>
</context>
<context>
    <name>CertificationView</name>
    <message>
        <source>级别</source>
        <extracomment>The steps that decide a certification (复核 renews its term).</extracomment>
        <translation>Level</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>证书编号</source>
        <translation>Certificate number</translation>
    </message>
    <message>
        <source>有效期起</source>
        <translation>Valid from</translation>
    </message>
    <message>
        <source>有效期至</source>
        <translation>Valid to</translation>
    </message>
    <message>
        <source>复核日期</source>
        <translation>Re-check due</translation>
    </message>
    <message>
        <source>步骤</source>
        <translation>Step</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>负责人</source>
        <translation>Responsible</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>申报新认定</source>
        <translation>Apply for certification</translation>
    </message>
    <message>
        <source>记录这一步</source>
        <translation>Record this step</translation>
    </message>
    <message>
        <source>办理下一步</source>
        <translation>Next step</translation>
    </message>
    <message>
        <source>认定过程</source>
        <translation>Steps so far</translation>
    </message>
    <message>
        <source>已记录：{0}</source>
        <translation>Recorded: {0}</translation>
    </message>
    <message>
        <source>不能办理</source>
        <translation>Not possible</translation>
    </message>
</context>
<context>
    <name>Charts</name>
    <message>
        <source>无数据</source>
        <translation>No data</translation>
    </message>
    <message>
        <source>批次</source>
        <translation>Batches</translation>
    </message>
    <message>
        <source>人次</source>
        <translation>People</translation>
    </message>
    <message>
        <source>{0}：{1}</source>
        <translation>{0}: {1}</translation>
    </message>
</context>
<context>
    <name>ChecklistDialog</name>
    <message>
        <source>清除结果</source>
        <translation>Clear result</translation>
    </message>
    <message>
        <source>选中条款（可多选）后点按钮，或按 1 符合、2 不符合、3 不适用、0 清除，自动跳到下一条。</source>
        <translation>Select one or more clauses and click a button, or press 1 met, 2 not met, 3 not applicable, 0 clear; the cursor moves on to the next clause.</translation>
    </message>
    <message>
        <source>考察结论：如“基本符合，3.5、5.2 限期一个月整改”</source>
        <translation>Conclusion: e.g. “Largely met; 3.5 and 5.2 to be put right within a month”</translation>
    </message>
    <message>
        <source>保存检查表</source>
        <translation>Save checklist</translation>
    </message>
    <message>
        <source>撤销修改</source>
        <translation>Undo changes</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>考察结论</source>
        <translation>Conclusion</translation>
    </message>
    <message>
        <source>检查表：{0} {1} {2}</source>
        <translation>Checklist: {0}, {1} {2}</translation>
    </message>
    <message>
        <source>{0}&#x3000;{1}&#x3000;{2}&#x3000;检查人员：{3}&#x3000;标准：{4}</source>
        <translation>{0} · {1} · {2} · Inspectors: {3} · Standard: {4}</translation>
    </message>
    <message>
        <source>未填</source>
        <translation>not given</translation>
    </message>
    <message>
        <source>认定：{0}</source>
        <translation>Certification: {0}</translation>
    </message>
    <message>
        <source>共 {0} 条：符合 {1}，不符合 {2}，不适用 {3}，未检查 {4}</source>
        <translation>{0} clauses: {1} met, {2} not met, {3} not applicable, {4} unchecked</translation>
    </message>
    <message>
        <source>不能保存检查表</source>
        <translation>Cannot save the checklist</translation>
    </message>
    <message>
        <source>条款 {0} 的检查日期“{1}”不是日期：请写成 2024-05-13，或留空。</source>
        <translation>The date checked of clause {0}, “{1}”, is not a date: write it as 2024-05-13, or leave it empty.</translation>
    </message>
    <message>
        <source>已保存检查表：{0}</source>
        <translation>Checklist saved: {0}</translation>
    </message>
    <message>
        <source>重新载入这次考察吗？您在这里的修改将被放弃。</source>
        <translation>Reload this inspection? The changes made here will be discarded.</translation>
    </message>
    <message>
        <source>未保存的修改</source>
        <translation>Unsaved changes</translation>
    </message>
    <message>
        <source>检查表有未保存的修改。是否保存？</source>
        <translation>The checklist has unsaved changes. Save them?</translation>
    </message>
</context>
<context>
    <name>ChecklistImportDialog</name>
    <message>
        <source>导入检查表：{0}</source>
        <translation>Import checklist: {0}</translation>
    </message>
    <message>
        <source>修改</source>
        <translation>Changed</translation>
    </message>
    <message>
        <source>未变</source>
        <translation>Unchanged</translation>
    </message>
    <message>
        <source>行号</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>编号</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>变化</source>
        <translation>Changes</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>新建一次考察：{0}</source>
        <translation>A new inspection: {0}</translation>
    </message>
    <message>
        <source>写入已有的考察 #{0}：{1}</source>
        <translation>Into the existing inspection #{0}: {1}</translation>
    </message>
    <message>
        <source>读取条款 {0} 行：修改 {1} 条，未变 {2} 条（符合 {3}，不符合 {4}，不适用 {5}）；错误 {6} 处。</source>
        <translation>Clause rows read: {0}; {1} changed, {2} unchanged ({3} met, {4} not met, {5} not applicable); errors: {6}.</translation>
    </message>
    <message>
        <source>考察信息的修改：{0}</source>
        <translation>Changes to the inspection details: {0}</translation>
    </message>
    <message>
        <source>文件有错误，不能导入：请按每一处的说明改正后重新导入。未写入任何数据。</source>
        <translation>The file has errors and cannot be imported: correct each as its message says and import again. Nothing was written.</translation>
    </message>
    <message>
        <source>文件中的结果与程序中的相同，没有要导入的修改。</source>
        <translation>The results in the file are the same as in the program: there are no changes to import.</translation>
    </message>
    <message>
        <source>文件中没有列出的条款保持不变。确认后才会写入。</source>
        <translation>Clauses the file does not list stay as they are. Nothing is written until you confirm.</translation>
    </message>
</context>
<context>
    <name>ChecklistTable</name>
    <message>
        <source>编号</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>要素</source>
        <translation>Element</translation>
    </message>
    <message>
        <source>应/宜</source>
        <translation>Shall/should</translation>
    </message>
    <message>
        <source>要求</source>
        <translation>Requirement</translation>
    </message>
    <message>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>检查日期</source>
        <translation>Checked on</translation>
    </message>
    <message>
        <source>选中条款后按 1 符合、2 不符合、3 不适用、0 清除（也可按 Y、N、A），或用上方的按钮。</source>
        <translation>Select clauses and press 1 met, 2 not met, 3 not applicable, 0 clear (or Y, N, A), or use the buttons above.</translation>
    </message>
    <message>
        <source>如 2024-05-13；填结果时默认为考察日期。</source>
        <translation>e.g. 2024-05-13; a result entered takes the inspection date unless changed.</translation>
    </message>
    <message>
        <source>“应”条款：必须符合</source>
        <translation>“Shall” clause: must be met</translation>
    </message>
</context>
<context>
    <name>ClauseDialog</name>
    <message>
        <source>添加条款</source>
        <translation>Add clause</translation>
    </message>
    <message>
        <source>编辑条款 {0}</source>
        <translation>Edit clause {0}</translation>
    </message>
    <message>
        <source>如 5.2</source>
        <translation>e.g. 5.2</translation>
    </message>
    <message>
        <source>条款的要求，如“配备自动体外除颤器（AED）并有会使用的人员”</source>
        <translation>The requirement, e.g. “An automated external defibrillator (AED), with staff who can use it”</translation>
    </message>
    <message>
        <source>标准</source>
        <translation>Standard</translation>
    </message>
    <message>
        <source>编号</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>要素</source>
        <translation>Element</translation>
    </message>
    <message>
        <source>应/宜</source>
        <translation>Shall/should</translation>
    </message>
    <message>
        <source>要求</source>
        <translation>Requirement</translation>
    </message>
    <message>
        <source>修改只影响以后的考察；已做的考察保留当时的条款原文。</source>
        <translation>A change affects later inspections only; inspections already made keep the clause as it read then.</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>已保存条款 {0}</source>
        <translation>Clause {0} saved</translation>
    </message>
    <message>
        <source>不能保存条款</source>
        <translation>Cannot save the clause</translation>
    </message>
</context>
<context>
    <name>ClausesPanel</name>
    <message>
        <source>启用</source>
        <translation>In use</translation>
    </message>
    <message>
        <source>停用</source>
        <translation>Not in use</translation>
    </message>
    <message>
        <source>编号</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>要素</source>
        <translation>Element</translation>
    </message>
    <message>
        <source>应/宜</source>
        <translation>Shall/should</translation>
    </message>
    <message>
        <source>要求</source>
        <translation>Requirement</translation>
    </message>
    <message>
        <source>标准</source>
        <translation>Standard</translation>
    </message>
    <message>
        <source>添加条款…</source>
        <translation>Add clause…</translation>
    </message>
    <message>
        <source>编辑…</source>
        <translation>Edit…</translation>
    </message>
    <message>
        <source>停用条款</source>
        <translation>Take out of use</translation>
    </message>
    <message>
        <source>上移</source>
        <translation>Move up</translation>
    </message>
    <message>
        <source>下移</source>
        <translation>Move down</translation>
    </message>
    <message>
        <source>载入默认条款</source>
        <translation>Load default clauses</translation>
    </message>
    <message>
        <source>载入 DB3301/T 0374-2022 的常用条款（办公室自编编号、概括转述）：只添加缺少的条款，已有的条款不变。</source>
        <translation>Load the usual clauses of DB3301/T 0374-2022 (numbered by the office, paraphrased): only missing clauses are added; those already there stay as they are.</translation>
    </message>
    <message>
        <source>实地考察的检查表按这里启用的条款、按这里的顺序生成；已做的考察保留当时的条款原文，修改或停用条款不影响它们。默认条款的编号为办公室自编、要求为概括转述，请对照已发布的标准文本核对。</source>
        <translation>An inspection&apos;s checklist holds the clauses in use here, in this order; inspections already made keep their clauses as they read then, whatever is changed or taken out of use later. The default clauses are numbered by the office and their requirements paraphrased: check them against the published standard.</translation>
    </message>
    <message>
        <source>启用条款</source>
        <translation>Put back in use</translation>
    </message>
    <message>
        <source>不能载入默认条款</source>
        <translation>Cannot load the default clauses</translation>
    </message>
    <message>
        <source>不能修改条款</source>
        <translation>Cannot change the clause</translation>
    </message>
</context>
<context>
    <name>CloseDialog</name>
    <message>
        <source>关闭事件</source>
        <translation>Close incident</translation>
    </message>
    <message>
        <source>结案日期</source>
        <translation>Closed on</translation>
    </message>
    <message>
        <source>结果</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <source>{0}，{1}：{2}</source>
        <comment>an incident: date, kind, summary</comment>
        <translation>{0}, {1}: {2}</translation>
    </message>
    <message>
        <source>写明事情如何了结（如伤者康复、投诉已答复、物品已找回）。结案后仍可重新打开。</source>
        <translation>Write how it ended (e.g. the injured person recovered, the complaint was answered, the property was found). A closed incident can still be reopened.</translation>
    </message>
    <message>
        <source>结案</source>
        <translation>Close incident</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>不能结案</source>
        <translation>Cannot close the incident</translation>
    </message>
</context>
<context>
    <name>ColumnMapping</name>
    <message>
        <source>列的对应关系（可修改）</source>
        <translation>Which column is which (can be changed)</translation>
    </message>
    <message>
        <source>工作表</source>
        <translation>Sheet</translation>
    </message>
    <message>
        <source>标题行</source>
        <translation>Header row</translation>
    </message>
    <message>
        <source>按此对应关系重新检查</source>
        <translation>Check again with these columns</translation>
    </message>
    <message>
        <source>（不导入）</source>
        <translation>(not imported)</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <source>今年至今（括号内为去年同期）</source>
        <extracomment>A batch arriving within this many days whose base has not confirmed its order is listed. How far ahead orders waiting for an answer are looked for (batches staying from today to this many days on). Where double-clicking an alert opens its record.</extracomment>
        <translation>This year so far (same date last year in brackets)</translation>
    </message>
    <message>
        <source>疗休养批次</source>
        <translation>Recuperation batches</translation>
    </message>
    <message>
        <source>人次</source>
        <translation>People</translation>
    </message>
    <message>
        <source>人天</source>
        <translation>Person-days</translation>
    </message>
    <message>
        <source>培训班</source>
        <translation>Training classes</translation>
    </message>
    <message>
        <source>会议</source>
        <translation>Conferences</translation>
    </message>
    <message>
        <source>到达</source>
        <translation>Arrival</translation>
    </message>
    <message>
        <source>编号</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>合作单位</source>
        <translation>Partner</translation>
    </message>
    <message>
        <source>线路</source>
        <translation>Route</translation>
    </message>
    <message>
        <source>人数</source>
        <translation>People</translation>
    </message>
    <message>
        <source>事项</source>
        <translation>Matter</translation>
    </message>
    <message>
        <source>对象</source>
        <translation>Record</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>批次</source>
        <translation>Batch</translation>
    </message>
    <message>
        <source>基地</source>
        <translation>Base</translation>
    </message>
    <message>
        <source>预订单</source>
        <translation>Order</translation>
    </message>
    <message>
        <source>未来两周没有批次到达。</source>
        <translation>No batch arrives in the next two weeks.</translation>
    </message>
    <message>
        <source>预订单：等待基地确认</source>
        <translation>Orders waiting for the bases</translation>
    </message>
    <message>
        <source>没有需要催办的预订单：一周内到达的批次各基地都已确认，也没有等待回复过久的预订单。</source>
        <translation>No order needs chasing: every base has confirmed the batches arriving within a week, and no order has waited too long for an answer.</translation>
    </message>
    <message>
        <source>没有需要关注的事项：协议、认定、床位、名单和证件号都没有问题。</source>
        <translation>Nothing needs attention: agreements, certifications, beds, rosters and ID numbers are all in order.</translation>
    </message>
    <message>
        <source>结算</source>
        <translation>Settlement</translation>
    </message>
    <message>
        <source>保险</source>
        <translation>Insurance</translation>
    </message>
    <message>
        <source>事件</source>
        <translation>Incident</translation>
    </message>
    <message>
        <source>今天到达</source>
        <translation>Arrives today</translation>
    </message>
    <message numerus="yes">
        <source>%n 天后到达</source>
        <comment>days until a batch arrives whose base has not confirmed</comment>
        <translation>
            <numerusform>Arrives in %n day</numerusform>
            <numerusform>Arrives in %n days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>已等待回复 %n 天</source>
        <comment>days an order has waited</comment>
        <translation>
            <numerusform>Waiting for an answer for %n day</numerusform>
            <numerusform>Waiting for an answer for %n days</numerusform>
        </translation>
    </message>
    <message>
        <source>{0}：{1}</source>
        <comment>a base and its order&apos;s state</comment>
        <translation>{0}: {1}</translation>
    </message>
    <message>
        <source>，基地未确认</source>
        <comment>after the days until arrival</comment>
        <translation>, not confirmed by the base</translation>
    </message>
    <message>
        <source>拒绝原因：{0}</source>
        <translation>Declined because: {0}</translation>
    </message>
    <message>
        <source>双击打开批次</source>
        <translation>Double-click to open the batch</translation>
    </message>
    <message>
        <source>数据库中还没有批次。可以用“文件 → 开始使用向导…”（“设置”页也有这个按钮）载入演示年份（仅限空数据库）或导入现有的 Excel 登记表，也可以在“批次”页新建批次。</source>
        <translation>The database has no batches yet. Use File → Getting started… (the Settings page has the same button) to load the demo year (into an empty database only) or to import your Excel registers, or create a batch on the Batches page.</translation>
    </message>
    <message>
        <source>未来两周到达（{0} – {1}）</source>
        <translation>Arriving in the next two weeks ({0} – {1})</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>未来两周到达</source>
        <translation>Arriving in the next two weeks</translation>
    </message>
    <message>
        <source>需要关注</source>
        <translation>Needs attention</translation>
    </message>
    <message>
        <source>合作协议</source>
        <translation>Agreement</translation>
    </message>
    <message>
        <source>基地认定</source>
        <translation>Base certification</translation>
    </message>
    <message>
        <source>床位超订</source>
        <translation>Overbooked</translation>
    </message>
    <message>
        <source>缺少名单</source>
        <translation>No roster</translation>
    </message>
    <message>
        <source>名单错误</source>
        <translation>Roster error</translation>
    </message>
    <message>
        <source>{0}年1月1日至{1}</source>
        <translation>1 Jan {0} to {1}</translation>
    </message>
    <message>
        <source>今年还没有数据；显示数据中最近的年份：{0}年1月1日至{1}</source>
        <translation>No data for this year yet; showing the latest year with data: 1 Jan {0} to {1}</translation>
    </message>
    <message>
        <source>（{0}）</source>
        <comment>last year&apos;s figure in brackets</comment>
        <translation> ({0})</translation>
    </message>
    <message>
        <source>{0}年每月批次与人次</source>
        <translation>Batches and people per month, {0}</translation>
    </message>
    <message>
        <source>人次最多的合作单位</source>
        <translation>Partners with the most people</translation>
    </message>
    <message>
        <source>{0}月基地床位利用率</source>
        <translation>Bed use by base in {1}</translation>
    </message>
</context>
<context>
    <name>DepartureDialog</name>
    <message>
        <source>出团通知书 · {0}</source>
        <extracomment>The notice&apos;s fields in the order the dialog shows them. The taller boxes: the texts that run to a paragraph.</extracomment>
        <translation>Departure notice · {0}</translation>
    </message>
    <message>
        <source>集合时间</source>
        <translation>Gathering time</translation>
    </message>
    <message>
        <source>集合地点</source>
        <translation>Gathering place</translation>
    </message>
    <message>
        <source>携带物品</source>
        <translation>What to bring</translation>
    </message>
    <message>
        <source>纪律要求</source>
        <translation>Rules of conduct</translation>
    </message>
    <message>
        <source>紧急联系人</source>
        <translation>Emergency contacts</translation>
    </message>
    <message>
        <source>保险</source>
        <translation>Insurance</translation>
    </message>
    <message>
        <source>{0}&#x3000;{1}，{2} – {3}</source>
        <comment>a batch: code, partner, arrival, departure</comment>
        <translation>{0}  {1}, {2} – {3}</translation>
    </message>
    <message>
        <source>留空的项目按灰色的标准内容打印。行程安排、领队、导游、组织单位和紧急电话取自批次，不必在这里填写。</source>
        <translation>Fields left empty print the standard wording shown in grey. The itinerary, leader, guide, organiser and emergency numbers come from the batch and need not be written here.</translation>
    </message>
    <message>
        <source>正在读取…</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>保存并打印…</source>
        <translation>Save and print…</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>不能读取出团通知书</source>
        <translation>Cannot read the departure notice</translation>
    </message>
    <message>
        <source>还没有填写过：打印时集合时间和地点为“待定”，其余按标准内容。</source>
        <translation>Nothing written yet: the gathering time and place print as “to be set” (待定), the rest as the standard wording.</translation>
    </message>
    <message>
        <source>留空则印“{0}”；如：5月12日 7:30</source>
        <translation>Empty prints “{0}”; e.g. 5月12日 7:30</translation>
    </message>
    <message>
        <source>留空则印“{0}”；如：单位东门停车场</source>
        <translation>Empty prints “{0}”; e.g. the car park at the east gate</translation>
    </message>
    <message>
        <source>留空则印：{0}</source>
        <translation>Empty prints: {0}</translation>
    </message>
    <message>
        <source>领队、导游、组织单位和紧急电话总会印上；这里填其他联系人，如：工会 张老师 138…</source>
        <translation>The leader, guide, organiser and emergency numbers always print; add other contacts here, e.g. the union, Ms Zhang, 138…</translation>
    </message>
    <message>
        <source>{0}：出团通知书已保存</source>
        <translation>{0}: departure notice saved</translation>
    </message>
    <message>
        <source>不能保存出团通知书</source>
        <translation>Cannot save the departure notice</translation>
    </message>
    <message>
        <source>出团通知书已被修改</source>
        <translation>The departure notice was changed</translation>
    </message>
    <message>
        <source>现在重新载入吗？这里的修改将被放弃。</source>
        <translation>Reload it now? The changes made here will be discarded.</translation>
    </message>
    <message>
        <source>放弃修改</source>
        <translation>Discard changes</translation>
    </message>
    <message>
        <source>出团通知书的修改还没有保存，放弃这些修改吗？</source>
        <translation>The changes to the departure notice are not saved. Discard them?</translation>
    </message>
</context>
<context>
    <name>FeedbackImportDialog</name>
    <message>
        <source>导入问卷结果到批次 {0}：{1}</source>
        <translation>Import questionnaire results into batch {0}: {1}</translation>
    </message>
    <message>
        <source>按此对应关系重新检查</source>
        <translation>Check again with these columns</translation>
    </message>
    <message>
        <source>工作表</source>
        <translation>Sheet</translation>
    </message>
    <message>
        <source>表头行</source>
        <translation>Header row</translation>
    </message>
    <message>
        <source>列</source>
        <translation>Column</translation>
    </message>
    <message>
        <source>表头</source>
        <translation>Heading</translation>
    </message>
    <message>
        <source>第一个答案</source>
        <translation>First answer</translation>
    </message>
    <message>
        <source>导入为</source>
        <translation>Import as</translation>
    </message>
    <message>
        <source>行号</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>问卷编号</source>
        <translation>Sheet no.</translation>
    </message>
    <message>
        <source>填写人</source>
        <translation>Respondent</translation>
    </message>
    <message>
        <source>导入后</source>
        <translation>On import</translation>
    </message>
    <message>
        <source>问题</source>
        <translation>Problems</translation>
    </message>
    <message>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>只导入正确的行</source>
        <translation>Import only the valid rows</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>有问题</source>
        <translation>Has problems</translation>
    </message>
    <message>
        <source>其他批次</source>
        <translation>Other batch</translation>
    </message>
    <message>
        <source>正确</source>
        <translation>Valid</translation>
    </message>
    <message>
        <source>新增</source>
        <translation>New</translation>
    </message>
    <message>
        <source>修改（{0}）</source>
        <translation>Changed ({0})</translation>
    </message>
    <message>
        <source>未变</source>
        <translation>Unchanged</translation>
    </message>
    <message>
        <source>不导入（批次 {0}）</source>
        <translation>Not imported (batch {0})</translation>
    </message>
    <message>
        <source>（不导入）</source>
        <translation>(not imported)</translation>
    </message>
    <message>
        <source>{0} 行属于其他批次，不导入。</source>
        <translation>Rows of other batches, not imported: {0}.</translation>
    </message>
    <message>
        <source>有问题的行（{0}）要改正后再导入，或选择“只导入正确的行”（会跳过它们）。</source>
        <translation>Rows with problems ({0}) must be corrected before importing, or choose “Import only the valid rows” (they are skipped).</translation>
    </message>
</context>
<context>
    <name>FeedbackView</name>
    <message>
        <source>星级格中直接输入 1–5，光标自动移到下一格；回车或 Tab 换格，最后一行之后自动添加新行；Delete 清除。</source>
        <translation>Type 1–5 in a star cell and the cursor moves to the next cell; Enter or Tab moves between cells, a new row is added after the last one; Delete clears.</translation>
    </message>
    <message>
        <source>添加一行</source>
        <translation>Add a row</translation>
    </message>
    <message>
        <source>删除所选行</source>
        <translation>Remove selected rows</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>撤销修改</source>
        <translation>Undo changes</translation>
    </message>
    <message>
        <source>导入…</source>
        <translation>Import…</translation>
    </message>
    <message>
        <source>导出…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <source>打印问卷…</source>
        <translation>Print questionnaires…</translation>
    </message>
    <message>
        <source>线路</source>
        <translation>Route</translation>
    </message>
    <message>
        <source>总体满意度：{0}</source>
        <translation>Overall satisfaction: {0}</translation>
    </message>
    <message>
        <source>批次已取消，没有问卷反馈。</source>
        <translation>The batch was cancelled: it has no feedback.</translation>
    </message>
    <message>
        <source>批次还没有开始：到达以后才能登记问卷反馈，现在可以先打印问卷。</source>
        <translation>The batch has not begun: feedback can be entered once it has arrived, but the questionnaires can be printed now.</translation>
    </message>
    <message>
        <source>未保存的修改</source>
        <translation>Unsaved changes</translation>
    </message>
    <message>
        <source>批次 {0} 的问卷反馈有未保存的修改。是否保存？</source>
        <translation>The feedback of batch {0} has unsaved changes. Save them?</translation>
    </message>
    <message>
        <source>批次 {0} 的问卷反馈已保存：新增 {1} 份，修改 {2} 份，删除 {3} 份。</source>
        <translation>Feedback of batch {0} saved: {1} added, {2} changed, {3} removed.</translation>
    </message>
    <message>
        <source>批次 {0} 的问卷反馈没有保存：请改正标红的格子后再保存。</source>
        <translation>The feedback of batch {0} was not saved: correct the cells marked in red, then save again.</translation>
    </message>
    <message>
        <source>问卷反馈没有保存</source>
        <translation>Feedback not saved</translation>
    </message>
    <message>
        <source>请先保存或撤销表格中的修改，再导入。</source>
        <translation>Save or undo the changes in the table before importing.</translation>
    </message>
    <message>
        <source>选择问卷结果文件</source>
        <translation>Choose the file of questionnaire results</translation>
    </message>
    <message>
        <source>工作簿 (*.xlsx *.xlsm *.xlsb *.xls *.ods *.csv *.txt);;所有文件 (*)</source>
        <translation>Workbooks (*.xlsx *.xlsm *.xlsb *.xls *.ods *.csv *.txt);;All files (*)</translation>
    </message>
    <message>
        <source>无法导入</source>
        <translation>Cannot import</translation>
    </message>
    <message>
        <source>批次 {0} 的问卷反馈已导入：新增 {1} 份，修改 {2} 份，未变 {3} 份。</source>
        <translation>Feedback of batch {0} imported: {1} added, {2} changed, {3} unchanged.</translation>
    </message>
    <message>
        <source>跳过了有问题的第 {0} 行。</source>
        <translation>Rows skipped for problems: {0}.</translation>
    </message>
    <message>
        <source>问卷反馈</source>
        <translation>Feedback</translation>
    </message>
    <message>
        <source>保存工作簿</source>
        <translation>Save workbook</translation>
    </message>
    <message>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbooks (*.xlsx)</translation>
    </message>
    <message>
        <source>无法导出</source>
        <translation>Cannot export</translation>
    </message>
    <message>
        <source>每位团员一份（写明姓名）</source>
        <translation>One for each member (named)</translation>
    </message>
    <message>
        <source>按组打印若干份…</source>
        <translation>Unnamed copies for groups…</translation>
    </message>
    <message>
        <source>按组打印问卷</source>
        <translation>Print questionnaires for groups</translation>
    </message>
    <message>
        <source>打印多少份不写姓名的调查表？</source>
        <translation>How many unnamed questionnaires should be printed?</translation>
    </message>
    <message>
        <source>打印</source>
        <translation>Print</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>无法打印</source>
        <translation>Cannot print</translation>
    </message>
    <message>
        <source>份数应为正整数，而不是“{0}”。</source>
        <translation>The number of copies must be a whole number above 0, not “{0}”.</translation>
    </message>
    <message>
        <source>{0} 满意度调查表</source>
        <translation>{0} satisfaction questionnaire</translation>
    </message>
</context>
<context>
    <name>FirstRunAssistant</name>
    <message>
        <source>开始使用向导</source>
        <translation>First-run assistant</translation>
    </message>
    <message>
        <source>用户指南</source>
        <translation>User guide</translation>
    </message>
    <message>
        <source>下一步 &gt;</source>
        <translation>Next &gt;</translation>
    </message>
    <message>
        <source>&lt; 上一步</source>
        <translation>&lt; Back</translation>
    </message>
    <message>
        <source>完成</source>
        <translation>Finish</translation>
    </message>
    <message>
        <source>以后再说</source>
        <translation>Later</translation>
    </message>
    <message>
        <source>欢迎使用职工疗休养工作台</source>
        <translation>Welcome to Recuperation Desk</translation>
    </message>
    <message>
        <source>几分钟就能开始：先填写工会的信息和政策，再选择从空白开始、载入演示数据，或导入现有的 Excel 登记表。</source>
        <translation>A few minutes to begin: the union&apos;s details and the policy, then start empty, with the demo data, or by importing your existing Excel registers.</translation>
    </message>
    <message>
        <source>程序管理合作协议、疗休养基地的认定、线路目录、批次与名单，打印行程单和名单，向合作单位发送 Excel 工作簿，并做年度统计。每一步都可以在以后修改；点“用户指南”可以随时查看日常工作的说明。</source>
        <translation>The program keeps partner agreements, the certification of recuperation bases, the route catalogue, batches and their rosters; it prints itineraries and manifests, sends workbooks to partners and reports the year. Everything here can be changed later; “User guide” explains the daily work at any time.</translation>
    </message>
    <message>
        <source>打开用户指南</source>
        <translation>Open the user guide</translation>
    </message>
    <message>
        <source>工会信息</source>
        <translation>The union</translation>
    </message>
    <message>
        <source>印在每一份行程单、名单和统计表的页眉上。</source>
        <translation>Printed at the top of every itinerary, manifest and statistics report.</translation>
    </message>
    <message>
        <source>工会名称 *</source>
        <translation>Union name *</translation>
    </message>
    <message>
        <source>地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>政策</source>
        <translation>Policy</translation>
    </message>
    <message>
        <source>程序按这些规定检查每个批次和名单；设置页可以随时修改。</source>
        <translation>Every batch and roster is checked against these rules; the settings page changes them at any time.</translation>
    </message>
    <message>
        <source>每批最多天数（含往返）</source>
        <translation>Maximum days per batch (with travel)</translation>
    </message>
    <message>
        <source>同一人再次参加的间隔（天）</source>
        <translation>Days before the same person may go again</translation>
    </message>
    <message>
        <source>数据保存在哪里</source>
        <translation>Where the data lives</translation>
    </message>
    <message>
        <source>一台电脑使用时，数据保存在本机的一个文件中，程序每天自动备份。</source>
        <translation>On one computer the data is a file on this computer, backed up automatically every day.</translation>
    </message>
    <message>
        <source>换一个文件位置…</source>
        <translation>Another file location…</translation>
    </message>
    <message>
        <source>多人共用：使用数据库服务器…</source>
        <translation>Shared desks: use a database server…</translation>
    </message>
    <message>
        <source>怎样开始</source>
        <translation>How to begin</translation>
    </message>
    <message>
        <source>从空白开始：自己录入合作单位、基地、线路和批次</source>
        <translation>Start empty: enter partners, bases, routes and batches yourself</translation>
    </message>
    <message>
        <source>载入演示年份（2021 年的完整数据，人员均为虚构），先熟悉程序</source>
        <translation>Load the demo year (all of 2021, invented people) to get to know the program</translation>
    </message>
    <message>
        <source>导入现有的 Excel 登记表</source>
        <translation>Import the existing Excel registers</translation>
    </message>
    <message>
        <source>（不导入）</source>
        <translation>(not imported)</translation>
    </message>
    <message>
        <source>选择…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>按基地、合作单位与协议、线路、批次的顺序导入，每一份都会先显示每一行的检查结果，确认后才写入。没有现成的表格？可以在“文件 → 保存登记表模板”中保存模板，填好后再导入。</source>
        <translation>Bases, partners and agreements, routes and batches are imported in that order; each shows every row&apos;s result first and writes nothing until you confirm. No workbook yet? File → Save register template gives one to fill in.</translation>
    </message>
    <message>
        <source>当前数据库：{0}</source>
        <translation>Database in use: {0}</translation>
    </message>
    <message>
        <source>数据库文件的位置</source>
        <translation>Location of the database file</translation>
    </message>
    <message>
        <source>数据库 (*.db)</source>
        <translation>Databases (*.db)</translation>
    </message>
    <message>
        <source>下次启动时使用 {0}，向导会在那里继续。点“完成”保存工会信息和政策后重新启动程序。</source>
        <translation>From the next start the program uses {0}, and the assistant continues there. Finish to save the union and the policy, then restart the program.</translation>
    </message>
    <message>
        <source>不能保存</source>
        <translation>Cannot save</translation>
    </message>
    <message>
        <source>正在生成演示数据…</source>
        <translation>Making the demo data…</translation>
    </message>
    <message>
        <source>演示数据已载入：{0} 个批次，{1} 名团员（均为虚构）</source>
        <translation>Demo data loaded: {0} batches, {1} participants (all invented)</translation>
    </message>
    <message>
        <source>登记表 (*.xlsx *.xlsm *.xlsb *.xls *.ods *.csv *.txt);;所有文件 (*)</source>
        <translation>Registers (*.xlsx *.xlsm *.xlsb *.xls *.ods *.csv *.txt);;All files (*)</translation>
    </message>
    <message>
        <source>不能载入演示数据</source>
        <translation>Cannot load the demo data</translation>
    </message>
</context>
<context>
    <name>FormView</name>
    <message>
        <source> 元</source>
        <extracomment>How the core reads the text before counting its length (a code typed in groups: spaces removed). The value each choice field should show: the record&apos;s, or the user&apos;s last pick.</extracomment>
        <translation> yuan</translation>
    </message>
    <message>
        <source>未填</source>
        <translation>Not given</translation>
    </message>
    <message>
        <source>{0}为必填项。</source>
        <translation>{0} is required.</translation>
    </message>
    <message>
        <source>{0}最多 {1} 个字符（现有 {2} 个）。</source>
        <translation>{0} allows at most {1} characters (it has {2}).</translation>
    </message>
</context>
<context>
    <name>GridModel</name>
    <message>
        <source>问卷
编号</source>
        <extracomment>The columns before the stars and after them. The tables the tab shows: another desk&apos;s change to them reloads it (when no edit is waiting).</extracomment>
        <translation>Sheet
no.</translation>
    </message>
    <message>
        <source>填写人</source>
        <translation>Respondent</translation>
    </message>
    <message>
        <source>填写日期</source>
        <translation>Filled in</translation>
    </message>
    <message>
        <source>意见建议</source>
        <translation>Comments</translation>
    </message>
    <message>
        <source>线路</source>
        <translation>Route</translation>
    </message>
    <message>
        <source>{0}·{1}：平均 {2}（{3} 份回答，共 {4} 星）</source>
        <translation>{0} · {1}: average {2} (answers: {3}, stars in all: {4})</translation>
    </message>
</context>
<context>
    <name>HistoryView</name>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>变动</source>
        <translation>Change</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>相关</source>
        <translation>Related</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>操作人</source>
        <translation>By</translation>
    </message>
    <message>
        <source>批次 {0}</source>
        <translation>Batch {0}</translation>
    </message>
    <message>
        <source>替换 {0}</source>
        <translation>Replaced {0}</translation>
    </message>
    <message>
        <source>递补的是 {0}</source>
        <translation>Passed over for {0}</translation>
    </message>
    <message>
        <source>无法读取名单变动</source>
        <translation>Cannot read the roster changes</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>导入名单到批次 {0}：{1}</source>
        <translation>Import a roster into batch {0}: {1}</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>性别</source>
        <translation>Sex</translation>
    </message>
    <message>
        <source>手机</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Employer</translation>
    </message>
    <message>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>职工类别</source>
        <translation>Worker category</translation>
    </message>
    <message>
        <source>劳模</source>
        <translation>Model worker</translation>
    </message>
    <message>
        <source>饮食禁忌</source>
        <translation>Diet</translation>
    </message>
    <message>
        <source>健康状况</source>
        <translation>Health</translation>
    </message>
    <message>
        <source>紧急联系人</source>
        <translation>Emergency contact</translation>
    </message>
    <message>
        <source>房间</source>
        <translation>Room</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>随行家属</source>
        <translation>Companion</translation>
    </message>
    <message>
        <source>行号</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>导入后</source>
        <translation>On import</translation>
    </message>
    <message>
        <source>问题</source>
        <translation>Problems</translation>
    </message>
    <message>
        <source>人员调整的原因（替换名单时填写，记入批次历史）</source>
        <translation>Reason for the changes of people (recorded in the batch&apos;s history)</translation>
    </message>
    <message>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>只导入正确的行</source>
        <translation>Import only the valid rows</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>新增</source>
        <translation>New</translation>
    </message>
    <message>
        <source>修改（{0}）</source>
        <translation>Changed ({0})</translation>
    </message>
    <message>
        <source>未变</source>
        <translation>Unchanged</translation>
    </message>
    <message>
        <source>错误</source>
        <translation>Error</translation>
    </message>
    <message>
        <source>提醒</source>
        <translation>Warning</translation>
    </message>
    <message>
        <source>正确</source>
        <translation>Valid</translation>
    </message>
    <message>
        <source>读取 {0} 行：正确 {1} 行，有错误 {2} 行，提醒 {3} 处。导入后：新增 {4} 人，删除 {5} 人，修改 {6} 人。</source>
        <translation>{0} rows read: {1} valid, {2} with errors, {3} warnings. The import adds {4}, removes {5} and changes {6} people.</translation>
    </message>
    <message>
        <source>{0} 人的身份证号隐去了中间几位，已按号码两端和姓名与名单中的人对上。</source>
        <translation>Rows with masked ID numbers matched to people on the roster by the digits shown and the name: {0}.</translation>
    </message>
    <message>
        <source>{0} 人在文件中只有读不出的同名行，保留在名单中，不删除。</source>
        <translation>People kept on the roster because the file has only unreadable rows of their name: {0}.</translation>
    </message>
    <message>
        <source>这个批次已完成或已取消：修改名单须填写原因。</source>
        <translation>This batch is completed or cancelled: changing its roster needs a reason.</translation>
    </message>
    <message>
        <source>确认从名单中删除这 {0} 人：{1}（须填写原因）</source>
        <translation>Remove from the roster (people: {0}): {1} — a reason is required</translation>
    </message>
    <message>
        <source>原因（必填，记入批次历史）</source>
        <translation>Reason (required, kept in the batch&apos;s history)</translation>
    </message>
</context>
<context>
    <name>ImportPreview</name>
    <message>
        <source>工作表</source>
        <translation>Sheet</translation>
    </message>
    <message>
        <source>行号</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>列</source>
        <translation>Column</translation>
    </message>
    <message>
        <source>问题</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>错误（改正文件后重新导入）</source>
        <translation>Errors (correct the file and import again)</translation>
    </message>
    <message>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>IncidentDialog</name>
    <message>
        <source>新增事件</source>
        <translation>New incident</translation>
    </message>
    <message>
        <source>编辑事件</source>
        <translation>Edit incident</translation>
    </message>
    <message>
        <source>（不指定基地）</source>
        <translation>(no base)</translation>
    </message>
    <message>
        <source>发生日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>严重程度</source>
        <translation>Severity</translation>
    </message>
    <message>
        <source>基地</source>
        <translation>Base</translation>
    </message>
    <message>
        <source>事件概要</source>
        <translation>Summary</translation>
    </message>
    <message>
        <source>经过</source>
        <translation>What happened</translation>
    </message>
    <message>
        <source>其他涉及人员</source>
        <translation>Others involved</translation>
    </message>
    <message>
        <source>处置</source>
        <translation>Action taken</translation>
    </message>
    <message>
        <source>结果</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <source>后续跟进</source>
        <translation>Follow-up</translation>
    </message>
    <message>
        <source>设跟进期限</source>
        <translation>Set a due date</translation>
    </message>
    <message>
        <source>跟进期限</source>
        <translation>Due date</translation>
    </message>
    <message>
        <source>报告人</source>
        <translation>Reported by</translation>
    </message>
    <message>
        <source>一句话说明发生了什么</source>
        <translation>What happened, in one line</translation>
    </message>
    <message>
        <source>不在名单上的人，如司机、基地员工</source>
        <translation>People not on the roster, e.g. the driver, the base&apos;s staff</translation>
    </message>
    <message>
        <source>（家属）</source>
        <translation> (companion)</translation>
    </message>
    <message>
        <source>这个批次还没有名单：涉及人员请写在“其他涉及人员”中。</source>
        <translation>This batch has no roster yet: write the people involved under “Others involved”.</translation>
    </message>
    <message>
        <source>涉及人员（本批次名单）</source>
        <translation>People involved (this batch&apos;s roster)</translation>
    </message>
    <message>
        <source>{0}&#x3000;{1}，{2} – {3}</source>
        <comment>a batch: code, partner, arrival, departure</comment>
        <translation>{0}  {1}, {2} – {3}</translation>
    </message>
    <message>
        <source>严重事件在结案前一直列在总览的“需要关注”中。涉及人员只显示脱敏的身份证号。</source>
        <translation>A serious incident stays under “Needs attention” on the overview until it is closed. People involved are shown with masked ID numbers only.</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>不能保存事件</source>
        <translation>Cannot save the incident</translation>
    </message>
    <message>
        <source>未保存的修改</source>
        <translation>Unsaved changes</translation>
    </message>
    <message>
        <source>这个事件有未保存的修改。是否保存？</source>
        <translation>This incident has unsaved changes. Save them?</translation>
    </message>
</context>
<context>
    <name>IncidentsView</name>
    <message>
        <source>日期</source>
        <extracomment>The tables whose changes this tab shows (an incident, its people, the roster, where the batch went).</extracomment>
        <translation>Date</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>严重程度</source>
        <translation>Severity</translation>
    </message>
    <message>
        <source>基地</source>
        <translation>Base</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>未结案</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>已结案</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>概要</source>
        <translation>Summary</translation>
    </message>
    <message>
        <source>新增…</source>
        <translation>New…</translation>
    </message>
    <message>
        <source>编辑…</source>
        <translation>Edit…</translation>
    </message>
    <message>
        <source>关闭事件…</source>
        <translation>Close incident…</translation>
    </message>
    <message>
        <source>重新打开…</source>
        <translation>Reopen…</translation>
    </message>
    <message>
        <source>删除…</source>
        <translation>Delete…</translation>
    </message>
    <message>
        <source>{0}由{1}结案</source>
        <comment>closed on a day by a user</comment>
        <translation>Closed on {0} by {1}</translation>
    </message>
    <message>
        <source>{0} · {1} · {2} · {3}</source>
        <comment>an incident: date, kind, severity, state</comment>
        <translation>{0} · {1} · {2} · {3}</translation>
    </message>
    <message>
        <source>{0}：{1}</source>
        <comment>a field&apos;s name and its value</comment>
        <translation>{0}: {1}</translation>
    </message>
    <message>
        <source>涉及人员</source>
        <translation>People involved</translation>
    </message>
    <message>
        <source>其他涉及人员</source>
        <translation>Others involved</translation>
    </message>
    <message>
        <source>经过</source>
        <translation>What happened</translation>
    </message>
    <message>
        <source>处置</source>
        <translation>Action taken</translation>
    </message>
    <message>
        <source>结果</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <source>（期限 {0}，已过期）</source>
        <translation> (due {0}, overdue)</translation>
    </message>
    <message>
        <source>（期限 {0}）</source>
        <translation> (due {0})</translation>
    </message>
    <message>
        <source>后续跟进</source>
        <translation>Follow-up</translation>
    </message>
    <message>
        <source>报告人</source>
        <translation>Reported by</translation>
    </message>
    <message>
        <source>批次 {0} 没有登记事件。行程中有人受伤、生病、投诉、遗失物品或交通延误时，点“新增…”登记。</source>
        <translation>No incident recorded for batch {0}. When someone is injured or falls ill, makes a complaint or loses something, or transport is delayed during the trip, record it with “New…”.</translation>
    </message>
    <message numerus="yes">
        <source>%n 个事件</source>
        <comment>incidents of a batch</comment>
        <translation>
            <numerusform>%n incident</numerusform>
            <numerusform>%n incidents</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>，%n 个未结案</source>
        <comment>open incidents</comment>
        <translation>
            <numerusform>, %n open</numerusform>
            <numerusform>, %n open</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>（其中严重 %n 个，结案前一直在总览中提醒）</source>
        <comment>open serious incidents</comment>
        <translation>
            <numerusform> (%n serious, kept on the overview until closed)</numerusform>
            <numerusform> (%n serious, kept on the overview until closed)</numerusform>
        </translation>
    </message>
    <message>
        <source>。</source>
        <translation>.</translation>
    </message>
    <message>
        <source>登记这个批次的一个事件：受伤、疾病、投诉、物品遗失、交通延误或其他。</source>
        <translation>Record an incident of this batch: an injury, an illness, a complaint, lost property, a transport delay or something else.</translation>
    </message>
    <message>
        <source>请先在列表中选择一个事件。</source>
        <translation>Choose an incident in the list first.</translation>
    </message>
    <message>
        <source>修改所选事件（记入事件历史）。</source>
        <translation>Change the selected incident (kept in its history).</translation>
    </message>
    <message>
        <source>写明结果后结案。</source>
        <translation>Write the outcome and close the incident.</translation>
    </message>
    <message>
        <source>事件已于 {0} 结案。</source>
        <translation>The incident was closed on {0}.</translation>
    </message>
    <message>
        <source>事件没有结案。</source>
        <translation>The incident is not closed.</translation>
    </message>
    <message>
        <source>重新打开已结案的事件，须写明原因。</source>
        <translation>Reopen a closed incident, giving the reason.</translation>
    </message>
    <message>
        <source>只用于误登记的事件：未结案，且只能由登记人删除，须写明原因。</source>
        <translation>Only for an incident recorded by mistake: it must be open, only the person who recorded it can delete it, and a reason is required.</translation>
    </message>
    <message>
        <source>已结案的事件是基地复核的依据，不能删除；误登记的请先重新打开。</source>
        <translation>A closed incident is evidence for the base&apos;s re-check and cannot be deleted; reopen one recorded by mistake first.</translation>
    </message>
    <message>
        <source>{0}：事件已保存</source>
        <translation>{0}: incident saved</translation>
    </message>
    <message>
        <source>事件已结案：{0}</source>
        <translation>Incident closed: {0}</translation>
    </message>
    <message>
        <source>重新打开事件</source>
        <translation>Reopen incident</translation>
    </message>
    <message>
        <source>为什么重新打开“{0}”？原因记入事件历史。</source>
        <translation>Why reopen “{0}”? The reason is kept in the incident&apos;s history.</translation>
    </message>
    <message>
        <source>重新打开</source>
        <translation>Reopen</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>事件已重新打开：{0}</source>
        <translation>Incident reopened: {0}</translation>
    </message>
    <message>
        <source>不能重新打开事件</source>
        <translation>Cannot reopen the incident</translation>
    </message>
    <message>
        <source>删除事件</source>
        <translation>Delete incident</translation>
    </message>
    <message>
        <source>删除“{0}”？只用于误登记的事件（已结案的事件不能删除）。请写明原因，记入审计日志。</source>
        <translation>Delete “{0}”? Only for an incident recorded by mistake (a closed incident cannot be deleted). Give the reason; it is kept in the audit log.</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>事件已删除：{0}</source>
        <translation>Incident deleted: {0}</translation>
    </message>
    <message>
        <source>不能删除事件</source>
        <translation>Cannot delete the incident</translation>
    </message>
</context>
<context>
    <name>InspectionDialog</name>
    <message>
        <source>新建考察：{0}</source>
        <translation>New inspection: {0}</translation>
    </message>
    <message>
        <source>考察信息：{0}</source>
        <translation>Inspection details: {0}</translation>
    </message>
    <message>
        <source>如：张敏、李强（市总工会）</source>
        <translation>e.g. Zhang Min, Li Qiang (city trade union federation)</translation>
    </message>
    <message>
        <source>不关联认定</source>
        <translation>No certification</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>检查人员</source>
        <translation>Inspectors</translation>
    </message>
    <message>
        <source>认定</source>
        <translation>Certification</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>新建并填写检查表</source>
        <translation>Create and fill in checklist</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>检查表的条款和结果不在这里修改：请用“填写检查表…”。</source>
        <translation>The checklist&apos;s clauses and results are not changed here: use “Fill in checklist…”.</translation>
    </message>
    <message>
        <source>检查表按“设置 → 标准条款”中启用的条款生成；以后修改条款不影响这次考察。</source>
        <translation>The checklist is made from the clauses in use under “Settings → Standard clauses”; later changes to the clauses do not affect this inspection.</translation>
    </message>
    <message>
        <source>{0} {1}（{2}）</source>
        <translation>{0} {1} ({2})</translation>
    </message>
    <message>
        <source>不能保存考察</source>
        <translation>Cannot save the inspection</translation>
    </message>
</context>
<context>
    <name>InspectionsView</name>
    <message>
        <source>日期</source>
        <extracomment>The checklist&apos;s columns. The tables an inspection&apos;s view follows. Keys that set a result in the checklist: 1 / Y 符合, 2 / N 不符合, 3 / A 不适用, 0 / Delete clear.</extracomment>
        <translation>Date</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>符合</source>
        <translation>Met</translation>
    </message>
    <message>
        <source>不符合</source>
        <translation>Not met</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>要素</source>
        <translation>Element</translation>
    </message>
    <message>
        <source>条款</source>
        <translation>Clauses</translation>
    </message>
    <message>
        <source>不适用</source>
        <translation>N/A</translation>
    </message>
    <message>
        <source>未检查</source>
        <translation>Unchecked</translation>
    </message>
    <message>
        <source>新建考察…</source>
        <translation>New inspection…</translation>
    </message>
    <message>
        <source>填写检查表…</source>
        <translation>Fill in checklist…</translation>
    </message>
    <message>
        <source>考察信息…</source>
        <translation>Details…</translation>
    </message>
    <message>
        <source>修改考察类型、日期、检查人员或关联的认定</source>
        <translation>Change the inspection&apos;s kind, date, inspectors or linked certification</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>记为认定步骤</source>
        <translation>Record as step</translation>
    </message>
    <message>
        <source>把这次实地考察或复核记入所关联认定的认定过程（检查表全部填完、写好结论后）。</source>
        <translation>Record this site inspection or re-check as a step of its linked certification (once the checklist is complete and the conclusion written).</translation>
    </message>
    <message>
        <source>导入检查表…</source>
        <translation>Import checklist…</translation>
    </message>
    <message>
        <source>导入填好的检查表（Excel）：先列出将要写入的结果和错误，确认后才写入。</source>
        <translation>Import a filled-in checklist (Excel): the results to be written and any errors are listed first; nothing is written until you confirm.</translation>
    </message>
    <message>
        <source>导出检查表…</source>
        <translation>Export checklist…</translation>
    </message>
    <message>
        <source>所选考察的检查表…</source>
        <translation>Checklist of the selected inspection…</translation>
    </message>
    <message>
        <source>空白检查表…</source>
        <translation>Blank checklist…</translation>
    </message>
    <message>
        <source>未检查 {0} 条</source>
        <translation>{0} unchecked</translation>
    </message>
    <message>
        <source>待写结论</source>
        <translation>Conclusion due</translation>
    </message>
    <message>
        <source>已记入认定</source>
        <translation>Step recorded</translation>
    </message>
    <message>
        <source>已完成</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>“应”条款不符合：{0}</source>
        <translation>“Shall” clauses not met: {0}</translation>
    </message>
    <message>
        <source>{0} {1}&#x3000;检查人员：{2}</source>
        <translation>{0} {1} · Inspectors: {2}</translation>
    </message>
    <message>
        <source>未填</source>
        <translation>not given</translation>
    </message>
    <message>
        <source>共 {0} 条：符合 {1}，不符合 {2}，不适用 {3}，未检查 {4}。</source>
        <translation>{0} clauses: {1} met, {2} not met, {3} not applicable, {4} unchecked.</translation>
    </message>
    <message>
        <source>已记入认定过程</source>
        <translation>recorded as a step</translation>
    </message>
    <message>
        <source>尚未记入认定过程</source>
        <translation>not yet recorded as a step</translation>
    </message>
    <message>
        <source>日常检查不记入认定过程</source>
        <translation>a routine check is not a step</translation>
    </message>
    <message>
        <source>认定：{0}（{1}）</source>
        <translation>Certification: {0} ({1})</translation>
    </message>
    <message>
        <source>结论：{0}</source>
        <translation>Conclusion: {0}</translation>
    </message>
    <message>
        <source>条款已全部检查，请填写结论。</source>
        <translation>Every clause is checked: write the conclusion.</translation>
    </message>
    <message>
        <source>还没有考察记录：点“新建考察…”开始一次实地考察、复核或日常检查。</source>
        <translation>No inspections yet: click “New inspection…” to start a site inspection, a re-check or a routine check.</translation>
    </message>
    <message>
        <source>日常检查不是认定的步骤。</source>
        <translation>A routine check is not a certification step.</translation>
    </message>
    <message>
        <source>这次考察没有关联认定：请在“考察信息…”中选择认定。</source>
        <translation>This inspection has no linked certification: choose one under “Details…”.</translation>
    </message>
    <message>
        <source>已记入认定过程。</source>
        <translation>Already recorded as a certification step.</translation>
    </message>
    <message>
        <source>还有 {0} 条没有检查。</source>
        <translation>Clauses not checked yet: {0}.</translation>
    </message>
    <message>
        <source>还没有填写结论。</source>
        <translation>No conclusion written yet.</translation>
    </message>
    <message>
        <source>已保存考察：{0}</source>
        <translation>Inspection saved: {0}</translation>
    </message>
    <message>
        <source>确定删除 {0} 的这次考察（{1} 条的检查结果）吗？此操作不能撤销，检查结果保留在操作日志中。</source>
        <translation>Delete the inspection {0} (results for {1} clauses)? This cannot be undone; the results are kept in the audit log.</translation>
    </message>
    <message>
        <source>删除考察</source>
        <translation>Delete inspection</translation>
    </message>
    <message>
        <source>不能删除考察</source>
        <translation>Cannot delete the inspection</translation>
    </message>
    <message>
        <source>把 {0} 记为认定（{1}）的“{2}”步骤吗？日期为考察日期，检查人员为负责人，检查结果和结论记入说明。</source>
        <translation>Record {0} as the “{2}” step of the certification ({1})? The date is the inspection date, the inspectors are the responsible people, and the results and the conclusion go into the notes.</translation>
    </message>
    <message>
        <source>已记入认定过程：{0}</source>
        <translation>Recorded as a certification step: {0}</translation>
    </message>
    <message>
        <source>不能记入认定过程</source>
        <translation>Cannot record the certification step</translation>
    </message>
    <message>
        <source>检查表-{0}.xlsx</source>
        <translation>Checklist - {0}.xlsx</translation>
    </message>
    <message>
        <source>检查表-{0}-{1}.xlsx</source>
        <translation>Checklist - {0} - {1}.xlsx</translation>
    </message>
    <message>
        <source>导出检查表</source>
        <translation>Export checklist</translation>
    </message>
    <message>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbooks (*.xlsx)</translation>
    </message>
    <message>
        <source>无法导出检查表</source>
        <translation>Cannot export the checklist</translation>
    </message>
    <message>
        <source>选择检查表</source>
        <translation>Choose a checklist</translation>
    </message>
    <message>
        <source>Excel 工作簿 (*.xlsx *.xlsm *.xlsb *.xls *.ods);;所有文件 (*)</source>
        <translation>Excel workbooks (*.xlsx *.xlsm *.xlsb *.xls *.ods);;All files (*)</translation>
    </message>
    <message>
        <source>无法导入检查表</source>
        <translation>Cannot import the checklist</translation>
    </message>
    <message>
        <source>已导入检查表：{0}，写入 {1} 条结果。</source>
        <translation>Checklist imported: {0}; results written: {1}.</translation>
    </message>
</context>
<context>
    <name>InsuranceDialog</name>
    <message>
        <source>保险 · {0}</source>
        <extracomment>The largest cover the form takes, in yuan (the service&apos;s limit).</extracomment>
        <translation>Insurance · {0}</translation>
    </message>
    <message>
        <source>保险公司</source>
        <translation>Insurer</translation>
    </message>
    <message>
        <source>保单号</source>
        <translation>Policy number</translation>
    </message>
    <message>
        <source>意外险保额</source>
        <translation>Accident cover</translation>
    </message>
    <message>
        <source>医疗险保额</source>
        <translation>Medical cover</translation>
    </message>
    <message>
        <source>保险期间起</source>
        <translation>Cover from</translation>
    </message>
    <message>
        <source>保险期间止</source>
        <translation>Cover to</translation>
    </message>
    <message>
        <source>投保人数</source>
        <translation>People insured</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>{0}&#x3000;{1}，{2} – {3}</source>
        <comment>a batch: code, partner, arrival, departure</comment>
        <translation>{0}  {1}, {2} – {3}</translation>
    </message>
    <message>
        <source>正在读取…</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <source>导出保险名单（Excel）…</source>
        <translation>Export insurer&apos;s list (Excel)…</translation>
    </message>
    <message>
        <source>给保险公司的被保险人名单，含完整证件号；导出记入审计日志。</source>
        <translation>The list of the people insured, for the insurer, with full ID numbers; the export is recorded in the audit log.</translation>
    </message>
    <message>
        <source>删除保单</source>
        <translation>Delete policy</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>不能读取保险</source>
        <translation>Cannot read the insurance</translation>
    </message>
    <message>
        <source>意外险不低于 {0} 元</source>
        <translation>accident cover of at least ¥{0}</translation>
    </message>
    <message>
        <source>医疗险不低于 {0} 元</source>
        <translation>medical cover of at least ¥{0}</translation>
    </message>
    <message>
        <source>“{0}”要求：{1}。</source>
        <translation>“{0}” asks for {1}.</translation>
    </message>
    <message>
        <source>保险有效：覆盖行程，投保 {0} 人（名单 {1} 人）。</source>
        <translation>Insurance valid: it covers the stay; people insured: {0} ({1} on the roster).</translation>
    </message>
    <message>
        <source>保险不符合要求：{0}。</source>
        <translation>The insurance falls short: {0}.</translation>
    </message>
    <message>
        <source>还没有保存保单：保存保单后才能导出保险名单。</source>
        <translation>No policy saved yet: save the policy to export the insurer&apos;s list.</translation>
    </message>
    <message>
        <source>{0}：保险已保存</source>
        <translation>{0}: insurance saved</translation>
    </message>
    <message>
        <source>保险已被修改</source>
        <translation>The insurance was changed</translation>
    </message>
    <message>
        <source>现在重新载入吗？这里的修改将被放弃。</source>
        <translation>Reload it now? The changes made here will be discarded.</translation>
    </message>
    <message>
        <source>不能保存保险</source>
        <translation>Cannot save the insurance</translation>
    </message>
    <message>
        <source>删除批次 {0} 的保单 {1} 吗？</source>
        <translation>Delete the policy {1} of batch {0}?</translation>
    </message>
    <message>
        <source>{0}：保单已删除</source>
        <translation>{0}: policy deleted</translation>
    </message>
    <message>
        <source>不能删除保单</source>
        <translation>Cannot delete the policy</translation>
    </message>
    <message>
        <source>保存保险名单</source>
        <translation>Save the insurer&apos;s list</translation>
    </message>
    <message>
        <source>保险名单</source>
        <translation>Insurance list</translation>
    </message>
    <message>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbooks (*.xlsx)</translation>
    </message>
    <message>
        <source>不能导出</source>
        <translation>Cannot export</translation>
    </message>
    <message>
        <source>未保存的修改</source>
        <translation>Unsaved changes</translation>
    </message>
    <message>
        <source>批次 {0} 的保险有未保存的修改。是否保存？</source>
        <translation>The insurance of batch {0} has unsaved changes. Save them?</translation>
    </message>
</context>
<context>
    <name>InvoiceDialog</name>
    <message>
        <source>登记发票</source>
        <translation>Enter invoice</translation>
    </message>
    <message>
        <source>修改发票</source>
        <translation>Edit invoice</translation>
    </message>
    <message>
        <source>发票号码</source>
        <translation>Invoice number</translation>
    </message>
    <message>
        <source>开票日期</source>
        <translation>Issued on</translation>
    </message>
    <message>
        <source>金额（价税合计，元）</source>
        <translation>Amount incl. tax (yuan)</translation>
    </message>
    <message>
        <source>税率</source>
        <translation>Tax rate</translation>
    </message>
    <message>
        <source>如 6%</source>
        <translation>e.g. 6%</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>留空：按基地价目表的税率</source>
        <translation>Empty: the rate on the base&apos;s rate card</translation>
    </message>
    <message>
        <source>已有扫描件（选择新文件可替换）</source>
        <translation>Scan attached (choose a file to replace it)</translation>
    </message>
    <message>
        <source>未选择</source>
        <translation>None chosen</translation>
    </message>
    <message>
        <source>选择…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>扫描件</source>
        <translation>Scan</translation>
    </message>
    <message>
        <source>金额（元，少收为负）</source>
        <translation>Amount (yuan, negative if less)</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>添加一行</source>
        <translation>Add a line</translation>
    </message>
    <message>
        <source>删除所选行</source>
        <translation>Remove selected lines</translation>
    </message>
    <message>
        <source>{0} · {1}：{2} {3} 元</source>
        <translation>{0} · {1}: {2} ¥{3}</translation>
    </message>
    <message>
        <source>差额说明（发票金额与{0}不同时，逐行写明原因）</source>
        <translation>Adjustments (a line for each reason the invoice differs from: {0})</translation>
    </message>
    <message>
        <source>已说明 {0}；填写发票金额后计算差额。</source>
        <translation>{0} explained; the difference is worked out once the invoice amount is entered.</translation>
    </message>
    <message>
        <source>发票 {0} 元 − {1} {2} 元 = 差额 {3}；已说明 {4}，未说明 {5}</source>
        <translation>Invoice ¥{0} − {1} ¥{2} = difference {3}; {4} explained, {5} unexplained</translation>
    </message>
    <message>
        <source>实际费用</source>
        <extracomment>what the invoice is checked against, by its name (never 应付: the invoice is what is paid)</extracomment>
        <translation>Actual cost</translation>
    </message>
    <message>
        <source>计划费用</source>
        <translation>Planned cost</translation>
    </message>
    <message>
        <source>发票已审批：修改号码、日期、金额、税率或差额说明后需要重新审批。</source>
        <translation>The invoice is approved: a change to its number, date, amount, tax rate or adjustments needs a new approval.</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>第 {0} 行：{1}</source>
        <translation>Line {0}: {1}</translation>
    </message>
    <message>
        <source>第 {0} 行：请写明原因，如“加用会议室半天”。</source>
        <translation>Line {0}: give the reason, such as “meeting room for an extra half day”.</translation>
    </message>
    <message>
        <source>选择发票扫描件</source>
        <translation>Choose the invoice&apos;s scan</translation>
    </message>
    <message>
        <source>扫描件 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff *.ofd);;所有文件 (*)</source>
        <translation>Scans (*.pdf *.jpg *.jpeg *.png *.tif *.tiff *.ofd);;All files (*)</translation>
    </message>
    <message>
        <source>不能保存发票</source>
        <translation>Cannot save the invoice</translation>
    </message>
</context>
<context>
    <name>LinesEditor</name>
    <message>
        <source>类别</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>项目</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>季节</source>
        <translation>Season</translation>
    </message>
    <message>
        <source>单价（元）</source>
        <translation>Price (yuan)</translation>
    </message>
    <message>
        <source>计价单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>添加价格</source>
        <translation>Add a price</translation>
    </message>
    <message>
        <source>删除这一行</source>
        <translation>Remove this line</translation>
    </message>
    <message>
        <source>请填写“{0}”的单价（元），或删去这一行。</source>
        <translation>Enter the price of “{0}” in yuan, or remove this line.</translation>
    </message>
</context>
<context>
    <name>LodgingEditor</name>
    <message>
        <source>当晚日期</source>
        <translation>Night of</translation>
    </message>
    <message>
        <source>住宿基地</source>
        <translation>Base</translation>
    </message>
    <message>
        <source>人数</source>
        <translation>People</translation>
    </message>
    <message>
        <source>添加</source>
        <translation>Add</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>按计划人数排满每晚</source>
        <translation>Fill every night with the headcount</translation>
    </message>
    <message>
        <source>每晚住宿</source>
        <translation>Lodging per night</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>职工疗休养工作台</source>
        <translation>Recuperation Desk</translation>
    </message>
    <message>
        <source>总览</source>
        <translation>Overview</translation>
    </message>
    <message>
        <source>合作协议</source>
        <translation>Agreements</translation>
    </message>
    <message>
        <source>疗休养基地</source>
        <translation>Bases</translation>
    </message>
    <message>
        <source>线路</source>
        <translation>Routes</translation>
    </message>
    <message>
        <source>批次</source>
        <translation>Batches</translation>
    </message>
    <message>
        <source>统计</source>
        <translation>Statistics</translation>
    </message>
    <message>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>数据库：{0}</source>
        <translation>Database: {0}</translation>
    </message>
    <message>
        <source>正在处理数据…</source>
        <translation>Working on the data…</translation>
    </message>
    <message>
        <source>数据库已损坏，修改不会保存：请从备份恢复</source>
        <translation>Database damaged: changes are not saved; restore a backup</translation>
    </message>
    <message>
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>新建</source>
        <translation>New</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>打印…</source>
        <translation>Print…</translation>
    </message>
    <message>
        <source>导入登记表</source>
        <translation>Import register</translation>
    </message>
    <message>
        <source>保存登记表模板</source>
        <translation>Save register template</translation>
    </message>
    <message>
        <source>导出登记表（含现有数据）</source>
        <translation>Export register (with the records on file)</translation>
    </message>
    <message>
        <source>开始使用向导…</source>
        <translation>First-run assistant…</translation>
    </message>
    <message>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>编辑(&amp;E)</source>
        <translation>&amp;Edit</translation>
    </message>
    <message>
        <source>查找</source>
        <translation>Find</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>转到(&amp;G)</source>
        <translation>&amp;Go</translation>
    </message>
    <message>
        <source>工具(&amp;T)</source>
        <translation>&amp;Tools</translation>
    </message>
    <message>
        <source>团员查询…</source>
        <translation>Find participants…</translation>
    </message>
    <message>
        <source>审计日志…</source>
        <translation>Audit log…</translation>
    </message>
    <message>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>用户指南</source>
        <translation>User guide</translation>
    </message>
    <message>
        <source>关于</source>
        <translation>About</translation>
    </message>
    <message>
        <source>本机数据库文件：这台电脑的用户拥有全部权限。文件本身不设防，能复制它的人就能读取它。</source>
        <translation>A database file on this computer: this computer&apos;s user holds every right. The file itself is not protected: whoever can copy it can read it.</translation>
    </message>
    <message>
        <source>数据库服务器：{0} 是数据库的所有者，拥有全部权限。</source>
        <translation>Database server: {0} owns the database and holds every right.</translation>
    </message>
    <message>
        <source>数据库服务器按这些角色执行权限：没有权限的操作在这里不可用，直接连接数据库也会被拒绝。</source>
        <translation>The database server enforces these roles: what they do not allow cannot be done here, and the database refuses it on a direct connection too.</translation>
    </message>
    <message>
        <source>合作单位 {0} · 基地 {1} · 线路 {2} · 批次 {3} · 团员 {4}</source>
        <translation>Partners {0} · Bases {1} · Routes {2} · Batches {3} · Participants {4}</translation>
    </message>
    <message>
        <source>数据库已损坏</source>
        <translation>Database damaged</translation>
    </message>
    <message>
        <source>&lt;h3&gt;职工疗休养工作台&lt;/h3&gt;&lt;p&gt;版本 {0}&lt;/p&gt;&lt;p&gt;合作协议、疗休养基地、线路、批次与名单、统计。&lt;/p&gt;&lt;p&gt;数据库：{1}&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Recuperation Desk&lt;/h3&gt;&lt;p&gt;Version {0}&lt;/p&gt;&lt;p&gt;Agreements, bases, routes, batches and rosters, statistics.&lt;/p&gt;&lt;p&gt;Database: {1}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>未保存的修改</source>
        <translation>Unsaved changes</translation>
    </message>
    <message>
        <source>有未保存的修改。仍要退出吗？</source>
        <translation>There are unsaved changes. Quit anyway?</translation>
    </message>
</context>
<context>
    <name>MoneyPanel</name>
    <message>
        <source>费用与付款</source>
        <translation>Costs and payments</translation>
    </message>
    <message>
        <source>费用合计</source>
        <translation>Total cost</translation>
    </message>
    <message>
        <source>团员费用</source>
        <translation>Members&apos; cost</translation>
    </message>
    <message>
        <source>随行家属自费</source>
        <translation>Companions (own cost)</translation>
    </message>
    <message>
        <source>团员人天</source>
        <translation>Members&apos; person-days</translation>
    </message>
    <message>
        <source>每人天费用</source>
        <translation>Cost per person-day</translation>
    </message>
    <message>
        <source>已付基地</source>
        <translation>Paid to bases</translation>
    </message>
    <message>
        <source>发票未付</source>
        <translation>Invoiced, unpaid</translation>
    </message>
    <message>
        <source>已完成未开票</source>
        <translation>Completed, not invoiced</translation>
    </message>
    <message>
        <source>团员人天：已结束报到的批次按实到计（未到不计，提前离开计到离开当天），其余按计划；随行家属不计</source>
        <translation>Members&apos; person-days: batches whose roll call is closed count who came (a no-show not at all, one who left early up to the day they left); the others count as planned. Companions never count.</translation>
    </message>
    <message>
        <source>费用：每个批次在每个基地的费用——已审批的发票，否则按报到计算，否则按计划计算（含税）</source>
        <translation>Cost: each batch&apos;s cost at each base — the approved invoice, else as computed from the roll call, else as computed from the plan (tax included)</translation>
    </message>
    <message>
        <source>团员费用：费用按团员与随行家属的人天分摊，随行家属的部分自费</source>
        <translation>Members&apos; cost: the cost shared between members and companions by their person-days; the companions pay their part themselves</translation>
    </message>
    <message>
        <source>每人天费用 = 团员费用 ÷ 团员人天</source>
        <translation>Cost per person-day = members&apos; cost ÷ members&apos; person-days</translation>
    </message>
    <message>
        <source>按合作单位</source>
        <translation>By partner</translation>
    </message>
    <message>
        <source>合作单位</source>
        <translation>Partner</translation>
    </message>
    <message>
        <source>按基地</source>
        <translation>By base</translation>
    </message>
    <message>
        <source>基地</source>
        <translation>Base</translation>
    </message>
    <message>
        <source>按线路</source>
        <translation>By route</translation>
    </message>
    <message>
        <source>线路</source>
        <translation>Route</translation>
    </message>
    <message>
        <source>按月份</source>
        <translation>By month</translation>
    </message>
    <message>
        <source>月份</source>
        <translation>Month</translation>
    </message>
    <message>
        <source>按类型</source>
        <translation>By kind</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>团员人天：在此有费用的批次整批计入（用过几个基地的批次，每个基地都计入它的全部人天），所以每人天费用是这个基地在所接待团组的每人天中所占的费用</source>
        <translation>Members&apos; person-days: every batch with a cost here counts in full (a batch at several bases counts all its person-days at each), so the cost per person-day is this base&apos;s share of a person-day of the groups it received</translation>
    </message>
    <message>
        <source>这些批次的基地发票金额（含待审批的）</source>
        <translation>The base&apos;s invoices for these batches (those awaiting approval included)</translation>
    </message>
    <message>
        <source>发票金额 − 已付款</source>
        <translation>Invoiced − paid</translation>
    </message>
    <message>
        <source>已完成的批次、基地尚未开票的费用（按报到或计划计算）</source>
        <translation>Costs of completed batches not yet invoiced by the base (computed from the roll call or the plan)</translation>
    </message>
    <message>
        <source>{0}年{1}月</source>
        <translation>{1}/{0}</translation>
    </message>
    <message>
        <source>{0}月</source>
        <translation>{0}</translation>
    </message>
    <message>
        <source>{0} 项费用缺少价格：只计入了已定价的部分</source>
        <translation>Costs lacking prices: {0}; only the priced part is counted</translation>
    </message>
    <message>
        <source>批次</source>
        <translation>Batches</translation>
    </message>
    <message>
        <source>团员
人天</source>
        <translation>Member
days</translation>
    </message>
    <message>
        <source>费用</source>
        <translation>Cost</translation>
    </message>
    <message>
        <source>团员
费用</source>
        <translation>Member
cost</translation>
    </message>
    <message>
        <source>每人天
费用</source>
        <translation>Cost per
person-day</translation>
    </message>
    <message>
        <source>已开票</source>
        <translation>Invoiced</translation>
    </message>
    <message>
        <source>已付款</source>
        <translation>Paid</translation>
    </message>
    <message>
        <source>未付</source>
        <translation>Unpaid</translation>
    </message>
    <message>
        <source>未开票</source>
        <translation>Uninvoiced</translation>
    </message>
    <message>
        <source>基地发票 {0} 张，合计 {1}：待审批未付 {2}，已审批未付 {3}</source>
        <translation>Invoices from the bases: {0}, {1} in all: awaiting approval {2}, approved and unpaid {3}</translation>
    </message>
    <message>
        <source>已完成的批次中，{0} 项基地费用尚未收到发票（按报到或计划计算）</source>
        <translation>Costs of completed batches at bases not yet invoiced: {0} (computed from the roll call or the plan)</translation>
    </message>
    <message>
        <source>团员费用 {0} ÷ 团员人天 {1}</source>
        <translation>Members&apos; cost {0} ÷ members&apos; person-days {1}</translation>
    </message>
    <message>
        <source>{0} {1} 项 {2}</source>
        <translation>{0} {1} ({2})</translation>
    </message>
    <message>
        <source>费用来源：{0}。这里是付给基地的费用，包括疗休养、培训班和会议的批次（人天也是）；上方的“人均费用”按协议价计算，只计疗休养。</source>
        <translation>Where the costs come from: {0}. These are the bases&apos; costs, for recuperation batches, training classes and conferences alike (the person-days too); the cost per person above is at the agreed price, for recuperation only.</translation>
    </message>
    <message>
        <source>这段时间没有可计算费用的批次。</source>
        <translation>No batch in this period has a cost to compute.</translation>
    </message>
    <message>
        <source>{0} 项费用缺少价格，合计只含已定价的部分（如 {1}：{2}）：请补全基地的价目表。</source>
        <translation>Costs lacking prices: {0}; the totals hold only the priced part (for example {1} at {2}): complete the bases&apos; rate cards.</translation>
    </message>
    <message>
        <source>{0} 个批次没有安排基地，无法计算费用（如 {1}）。</source>
        <translation>Batches with no base, so no cost can be computed: {0} (for example {1}).</translation>
    </message>
    <message>
        <source>已审批发票</source>
        <translation>approved invoices</translation>
    </message>
    <message>
        <source>按报到计算</source>
        <translation>computed from the roll call</translation>
    </message>
    <message>
        <source>按计划计算</source>
        <translation>computed from the plan</translation>
    </message>
</context>
<context>
    <name>OccupancyView</name>
    <message>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>星期</source>
        <translation>Day</translation>
    </message>
    <message>
        <source>已订 / 床位</source>
        <translation>Booked / beds</translation>
    </message>
    <message>
        <source>空床</source>
        <translation>Free beds</translation>
    </message>
    <message>
        <source>一</source>
        <translation>Mon</translation>
    </message>
    <message>
        <source>二</source>
        <translation>Tue</translation>
    </message>
    <message>
        <source>三</source>
        <translation>Wed</translation>
    </message>
    <message>
        <source>四</source>
        <translation>Thu</translation>
    </message>
    <message>
        <source>五</source>
        <translation>Fri</translation>
    </message>
    <message>
        <source>六</source>
        <translation>Sat</translation>
    </message>
    <message>
        <source>日</source>
        <translation>Sun</translation>
    </message>
    <message>
        <source>{0}：今后 {1} 周每晚的床位（共 {2} 张）</source>
        <translation>{0}: beds each night for the next {1} weeks ({2} beds)</translation>
    </message>
</context>
<context>
    <name>Operations</name>
    <message>
        <source>未能完成</source>
        <translation>Could not be done</translation>
    </message>
</context>
<context>
    <name>OrdersView</name>
    <message>
        <source>基地</source>
        <extracomment>The colour of each state: answered (green), waiting (yellow), wanting the coordinator (red). The right each action needs (``ui/widgets/rights.py``); printing reads, unless the order carries full IDs.</extracomment>
        <translation>Base</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <source>发出</source>
        <translation>Sent</translation>
    </message>
    <message>
        <source>基地回复与说明</source>
        <translation>The base&apos;s answer and notes</translation>
    </message>
    <message>
        <source>标记已发出…</source>
        <translation>Mark sent…</translation>
    </message>
    <message>
        <source>登记基地回复…</source>
        <translation>Record the base&apos;s answer…</translation>
    </message>
    <message>
        <source>打印预订单…</source>
        <translation>Print order…</translation>
    </message>
    <message>
        <source>打印变更通知…</source>
        <translation>Print change notice…</translation>
    </message>
    <message>
        <source>取消通知已发出</source>
        <translation>Cancellation notice sent</translation>
    </message>
    <message>
        <source>{0}，{1}</source>
        <comment>an order sent: when, how</comment>
        <translation>{0}, {1}</translation>
    </message>
    <message>
        <source>{0} · 第 {1} 版</source>
        <comment>how an order was sent, its edition</comment>
        <translation>{0} · edition {1}</translation>
    </message>
    <message>
        <source>编号 {0}</source>
        <comment>the base&apos;s reference of its answer</comment>
        <translation>reference {0}</translation>
    </message>
    <message>
        <source>，</source>
        <comment>separates the parts of an answer</comment>
        <translation>, </translation>
    </message>
    <message>
        <source>基地变更：{0}</source>
        <translation>The base changed: {0}</translation>
    </message>
    <message>
        <source>拒绝原因：{0}</source>
        <translation>Declined because: {0}</translation>
    </message>
    <message>
        <source>还没有发给基地</source>
        <translation>Not sent to the base yet</translation>
    </message>
    <message>
        <source>{0} · {1}：{2}</source>
        <translation>{0} · {1}: {2}</translation>
    </message>
    <message>
        <source>第 {0} 版，{1}发出</source>
        <translation>Edition {0}, sent {1}</translation>
    </message>
    <message>
        <source>基地回复：{0}</source>
        <translation>The base&apos;s answer: {0}</translation>
    </message>
    <message>
        <source>基地此前的回复：{0}</source>
        <translation>The base&apos;s earlier answer: {0}</translation>
    </message>
    <message>
        <source>请把变更通知或新的预订单发给基地，再登记基地的确认。</source>
        <translation>Send the change notice or the new order to the base, then record its confirmation.</translation>
    </message>
    <message>
        <source>批次已不再使用这个基地（或已取消）：请通知基地取消接待。</source>
        <translation>The batch no longer uses this base (or was cancelled): tell the base to cancel.</translation>
    </message>
    <message>
        <source>基地已拒绝，批次也已不再使用这个基地：不需要再做什么。</source>
        <translation>The base declined and the batch no longer uses it: nothing more to do.</translation>
    </message>
    <message>
        <source>基地已拒绝：请在“基本信息”的每晚住宿和行程中改到其他基地，再给新基地发预订单。</source>
        <translation>The base declined: move those nights and meals to another base (Details: lodging and itinerary), then send the new base its order.</translation>
    </message>
    <message>
        <source>还没有发给基地：打印预订单并发出后，点“标记已发出…”。</source>
        <translation>Not sent to the base yet: print the order, send it, then click “Mark sent…”.</translation>
    </message>
    <message numerus="yes">
        <source>已等待基地回复 %n 天</source>
        <comment>days an order has waited</comment>
        <translation>
            <numerusform>Waiting for the base&apos;s answer for %n day</numerusform>
            <numerusform>Waiting for the base&apos;s answer for %n days</numerusform>
        </translation>
    </message>
    <message>
        <source>这个批次还没有安排在任何基地住宿、用餐或活动，没有预订单。</source>
        <translation>This batch does not lodge, eat or have activities at any base yet, so it has no orders.</translation>
    </message>
    <message numerus="yes">
        <source>%n 个基地都已确认当前的预订单。</source>
        <comment>bases, all confirmed</comment>
        <translation>
            <numerusform>The base has confirmed the current order.</numerusform>
            <numerusform>All %n bases have confirmed the current order.</numerusform>
        </translation>
    </message>
    <message>
        <source>{0}（{1}）</source>
        <comment>a base and its order&apos;s state</comment>
        <translation>{0} ({1})</translation>
    </message>
    <message numerus="yes">
        <source>%n 个基地还没有确认当前的预订单：{0}。批次要等基地都确认后才能确认。</source>
        <comment>bases not confirmed, then their names</comment>
        <translation>
            <numerusform>%n base has not confirmed the current order: {0}. The batch can be confirmed once every base has.</numerusform>
            <numerusform>%n bases have not confirmed the current order: {0}. The batch can be confirmed once every base has.</numerusform>
        </translation>
    </message>
    <message>
        <source>请先选择一个批次。</source>
        <translation>Choose a batch first.</translation>
    </message>
    <message>
        <source>请先在列表中选择一个基地的预订单。</source>
        <translation>Choose a base&apos;s order in the list first.</translation>
    </message>
    <message>
        <source>正在读取，请稍候。</source>
        <translation>Reading, please wait.</translation>
    </message>
    <message>
        <source>基地已拒绝，批次也已不再使用这个基地：不需要再发预订单。</source>
        <translation>The base declined and the batch no longer uses it: no order to send.</translation>
    </message>
    <message>
        <source>批次已不再使用这个基地（或已取消），不能再发预订单；请通知基地取消接待。</source>
        <translation>The batch no longer uses this base (or was cancelled), so no order can be sent; tell the base to cancel.</translation>
    </message>
    <message>
        <source>批次已完成，不再给基地发预订单。</source>
        <translation>The batch is completed: no more orders go to its bases.</translation>
    </message>
    <message>
        <source>批次已不再使用这个基地（或已取消），没有需要基地回复的预订单。</source>
        <translation>The batch no longer uses this base (or was cancelled); there is no order for the base to answer.</translation>
    </message>
    <message>
        <source>预订单还没有发出：先把它发给基地，再点“标记已发出…”。</source>
        <translation>The order has not been sent: send it to the base, then click “Mark sent…”.</translation>
    </message>
    <message>
        <source>预订单还没有发出，不需要变更通知：直接打印预订单。</source>
        <translation>The order has not been sent, so no change notice is needed: print the order itself.</translation>
    </message>
    <message>
        <source>预订单发出后批次没有变更，不需要变更通知。</source>
        <translation>Nothing changed since the order was sent; no change notice is needed.</translation>
    </message>
    <message>
        <source>取消通知已登记为发出。</source>
        <translation>The cancellation notice is recorded as sent.</translation>
    </message>
    <message>
        <source>这个基地不需要取消通知：批次仍在该基地安排接待，或预订单从未发出。</source>
        <translation>This base needs no cancellation notice: the batch still uses it, or its order was never sent.</translation>
    </message>
    <message>
        <source>打印取消通知…</source>
        <translation>Print cancellation notice…</translation>
    </message>
    <message>
        <source>{0}：第 {1} 版预订单已标记为发出</source>
        <translation>{0}: order edition {1} marked sent</translation>
    </message>
    <message>
        <source>不能标记</source>
        <translation>Cannot mark</translation>
    </message>
    <message>
        <source>{0}：取消通知已登记为发出</source>
        <translation>{0}: cancellation notice recorded as sent</translation>
    </message>
    <message>
        <source>不能登记</source>
        <translation>Cannot record</translation>
    </message>
    <message>
        <source>{0}：{1}</source>
        <translation>{0}: {1}</translation>
    </message>
    <message>
        <source>{0} {1} 预订单</source>
        <translation>{0} {1} order</translation>
    </message>
    <message>
        <source>{0} {1} 取消通知</source>
        <translation>{0} {1} cancellation notice</translation>
    </message>
    <message>
        <source>{0} {1} 变更通知</source>
        <translation>{0} {1} change notice</translation>
    </message>
</context>
<context>
    <name>Page</name>
    <message>
        <source>其他用户修改了数据：您正在编辑的内容保留；保存时若与对方的修改冲突，会提示重新载入。</source>
        <extracomment>The right its records need to be changed (the window&apos;s 新建, 保存 and 删除 follow it); None: nothing to change here.</extracomment>
        <translation>Someone else changed the data: what you are editing is kept; if it conflicts with their change when you save, you will be offered to reload.</translation>
    </message>
</context>
<context>
    <name>PartnersPanel</name>
    <message>
        <source>60 天内到期</source>
        <translation>Ending within 60 days</translation>
    </message>
    <message>
        <source>导出年度工作簿…</source>
        <translation>Export the year&apos;s workbook…</translation>
    </message>
    <message>
        <source>打印对账单…</source>
        <translation>Print statement…</translation>
    </message>
    <message>
        <source>所选合作单位一年的对账单：各批次的人数、人天、应收金额和合计</source>
        <translation>The selected partner&apos;s statement for a year: each batch&apos;s people, person-days and amount owed, with the totals</translation>
    </message>
    <message>
        <source>新建合作单位</source>
        <translation>New partner</translation>
    </message>
    <message>
        <source>合作协议</source>
        <translation>Agreements</translation>
    </message>
    <message>
        <source>导出年度工作簿</source>
        <translation>Export the year&apos;s workbook</translation>
    </message>
    <message>
        <source>年份：</source>
        <translation>Year:</translation>
    </message>
    <message>
        <source>保存工作簿</source>
        <translation>Save workbook</translation>
    </message>
    <message>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbooks (*.xlsx)</translation>
    </message>
    <message>
        <source>已导出 {0} 人到 {1}</source>
        <translation>{0} people exported to {1}</translation>
    </message>
    <message>
        <source>打印对账单</source>
        <translation>Print statement</translation>
    </message>
    <message>
        <source>{0} 的对账单，年份（按批次到达日期）：</source>
        <translation>Year of the statement of {0} (batches by arrival date):</translation>
    </message>
    <message>
        <source>生成对账单</source>
        <translation>Create statement</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>“{0}”不是年份：请写四位数的年份，如 2021。</source>
        <translation>“{0}” is not a year: write a four-digit year, such as 2021.</translation>
    </message>
    <message>
        <source>{0} {1} 年对账单</source>
        <translation>Statement of {0}, {1}</translation>
    </message>
    <message>
        <source>不能打印对账单</source>
        <translation>Cannot print the statement</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>地区</source>
        <translation>Region</translation>
    </message>
    <message>
        <source>联系人</source>
        <translation>Contact</translation>
    </message>
    <message>
        <source>协议到期</source>
        <translation>Agreement ends</translation>
    </message>
    <message>
        <source>批次</source>
        <translation>Batches</translation>
    </message>
    <message>
        <source>统一社会信用代码</source>
        <translation>Unified social credit code</translation>
    </message>
    <message>
        <source>18 位，例如 91330182MA2xxxxxxx</source>
        <translation>18 characters, e.g. 91330182MA2xxxxxxx</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Contact phone</translation>
    </message>
    <message>
        <source>地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>开支标准</source>
        <translation>Spending rules</translation>
    </message>
    <message>
        <source>无（不检查开支标准）</source>
        <translation>None (no spending rules checked)</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Notes</translation>
    </message>
</context>
<context>
    <name>PayDialog</name>
    <message>
        <source>登记付款</source>
        <translation>Record payment</translation>
    </message>
    <message>
        <source>付款日期</source>
        <translation>Paid on</translation>
    </message>
    <message>
        <source>付款金额（元）</source>
        <translation>Amount (yuan)</translation>
    </message>
    <message>
        <source>付款凭证号</source>
        <translation>Payment reference</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>{0} · {1}：发票 {2}，{3} 元，已付 {4} 元，还应付 {5} 元</source>
        <translation>{0} · {1}: invoice {2}, ¥{3}, ¥{4} paid, ¥{5} outstanding</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>PdfPreview</name>
    <message>
        <source>打印…</source>
        <translation>Print…</translation>
    </message>
    <message>
        <source>另存为 PDF…</source>
        <translation>Save as PDF…</translation>
    </message>
    <message>
        <source>用系统查看器打开</source>
        <translation>Open in the system viewer</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message numerus="yes">
        <source>共 %n 页</source>
        <translation>
            <numerusform>%n page</numerusform>
            <numerusform>%n pages</numerusform>
        </translation>
    </message>
    <message>
        <source>另存为</source>
        <translation>Save as</translation>
    </message>
    <message>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
</context>
<context>
    <name>PeopleDialog</name>
    <message>
        <source>团员查询</source>
        <translation>Participants of a year</translation>
    </message>
    <message>
        <source>姓名、单位、批次编号、合作单位或完整身份证号…</source>
        <translation>Name, employer, batch code, partner or a full ID number…</translation>
    </message>
    <message>
        <source>批次</source>
        <translation>Batch</translation>
    </message>
    <message>
        <source>到达</source>
        <translation>Arrival</translation>
    </message>
    <message>
        <source>离开</source>
        <translation>Departure</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>合作单位</source>
        <translation>Partner</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>性别</source>
        <translation>Sex</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>手机</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Employer</translation>
    </message>
    <message>
        <source>年份</source>
        <translation>Year</translation>
    </message>
    <message>
        <source>{0}年</source>
        <translation>{0}</translation>
    </message>
    <message numerus="yes">
        <source>%Ln 人次</source>
        <translation>
            <numerusform>%Ln person-visit</numerusform>
            <numerusform>%Ln person-visits</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PersonDialog</name>
    <message>
        <source>团员</source>
        <translation>Participant</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>手机</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Employer</translation>
    </message>
    <message>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>职工类别</source>
        <translation>Worker category</translation>
    </message>
    <message>
        <source>劳模</source>
        <translation>Model worker</translation>
    </message>
    <message>
        <source>饮食禁忌</source>
        <translation>Diet</translation>
    </message>
    <message>
        <source>健康状况</source>
        <translation>Health</translation>
    </message>
    <message>
        <source>紧急联系人</source>
        <translation>Emergency contact</translation>
    </message>
    <message>
        <source>房间</source>
        <translation>Room</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>显示完整号码（记入审计日志）</source>
        <translation>Show the full numbers (recorded in the audit log)</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>PinDialog</name>
    <message>
        <source>更改 PIN</source>
        <translation>Change PIN</translation>
    </message>
    <message>
        <source>设置 PIN</source>
        <translation>Set PIN</translation>
    </message>
    <message>
        <source>当前的 PIN</source>
        <translation>Current PIN</translation>
    </message>
    <message>
        <source>新的 PIN（4–12 位数字）</source>
        <translation>New PIN (4–12 digits)</translation>
    </message>
    <message>
        <source>再输一次</source>
        <translation>Repeat PIN</translation>
    </message>
    <message>
        <source>设置后，打开程序，以及显示、打印或导出完整证件号时都要输入 PIN；命令行的 --full-ids 也要（或由环境变量 RECUPERATION_PIN 给出）。忘记 PIN 就不能再打开这个文件，请记住它。</source>
        <translation>Once it is set, the PIN is asked for when the program opens and when full ID numbers are shown, printed or exported; --full-ids on the command line needs it too (or the environment variable RECUPERATION_PIN). Without the PIN this file cannot be opened again, so remember it.</translation>
    </message>
    <message>
        <source>保存 PIN</source>
        <translation>Save PIN</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>两次输入的 PIN 不一样，请重新输入。</source>
        <translation>The two PINs differ; type them again.</translation>
    </message>
    <message>
        <source>PIN 已保存</source>
        <translation>PIN saved</translation>
    </message>
    <message>
        <source>确定</source>
        <extracomment>Wrong PINs allowed when the window opens the file; then the program closes. Wrong PINs allowed for one action; then the action is not taken.</extracomment>
        <translation>OK</translation>
    </message>
    <message>
        <source>PIN 不对，还可以再试 {0} 次。</source>
        <translation>Wrong PIN. Tries left: {0}.</translation>
    </message>
    <message>
        <source>输入 PIN</source>
        <translation>Enter the PIN</translation>
    </message>
    <message>
        <source>显示、打印或导出完整证件号需要输入这个数据库文件的 PIN：</source>
        <translation>Showing, printing or exporting full ID numbers needs this database file&apos;s PIN:</translation>
    </message>
    <message>
        <source>PIN 不对</source>
        <translation>Wrong PIN</translation>
    </message>
    <message>
        <source>PIN 连续 {0} 次不对：没有显示完整号码。</source>
        <translation>The PIN was wrong {0} times in a row: the full numbers are not shown.</translation>
    </message>
    <message>
        <source>打开数据库</source>
        <translation>Open the database</translation>
    </message>
    <message>
        <source>这个数据库文件需要输入 PIN 才能打开：
{0}</source>
        <translation>This database file needs its PIN to open:
{0}</translation>
    </message>
    <message>
        <source>PIN 连续 {0} 次不对，程序将关闭。</source>
        <translation>The PIN was wrong {0} times in a row; the program will now close.</translation>
    </message>
</context>
<context>
    <name>PlanEditor</name>
    <message>
        <source>第几天</source>
        <translation>Day</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>活动</source>
        <translation>Activity</translation>
    </message>
    <message>
        <source>地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <source>基地</source>
        <translation>Base</translation>
    </message>
    <message>
        <source>用餐、住宿所在的基地</source>
        <translation>The base where the meal or the night is</translation>
    </message>
    <message>
        <source>添加一项</source>
        <translation>Add item</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>上移</source>
        <translation>Move up</translation>
    </message>
    <message>
        <source>下移</source>
        <translation>Move down</translation>
    </message>
    <message>
        <source>日程安排</source>
        <translation>Day plan</translation>
    </message>
</context>
<context>
    <name>PlannerCanvas</name>
    <message>
        <source>{0}（{1}）</source>
        <comment>a base and its beds</comment>
        <extracomment>(base id, night) → the batches lodging there whose base has not confirmed their current order: (code, state).</extracomment>
        <translation>{0} ({1})</translation>
    </message>
    <message>
        <source>一</source>
        <translation>Mon</translation>
    </message>
    <message>
        <source>二</source>
        <translation>Tue</translation>
    </message>
    <message>
        <source>三</source>
        <translation>Wed</translation>
    </message>
    <message>
        <source>四</source>
        <translation>Thu</translation>
    </message>
    <message>
        <source>五</source>
        <translation>Fri</translation>
    </message>
    <message>
        <source>六</source>
        <translation>Sat</translation>
    </message>
    <message>
        <source>日</source>
        <translation>Sun</translation>
    </message>
    <message>
        <source>批次</source>
        <translation>Batches</translation>
    </message>
    <message>
        <source>基地（床位）每晚已订</source>
        <translation>Bases (beds): booked each night</translation>
    </message>
    <message>
        <source>超{0}</source>
        <comment>people booked on an overbooked night, in a cell two digits wide</comment>
        <translation>{0}!</translation>
    </message>
    <message>
        <source>{0}，{1}</source>
        <translation>{0}, {1}</translation>
    </message>
    <message>
        <source>{0} 至 {1}</source>
        <translation>{0} to {1}</translation>
    </message>
    <message>
        <source>人数：{0}</source>
        <translation>People: {0}</translation>
    </message>
    <message>
        <source>导游：{0}</source>
        <translation>Guide: {0}</translation>
    </message>
    <message>
        <source>车辆：{0}</source>
        <translation>Vehicle: {0}</translation>
    </message>
    <message>
        <source>导游或车辆同一天另有安排</source>
        <translation>The guide or the vehicle has another booking that day</translation>
    </message>
    <message>
        <source>{0} {1}：已订 {2} / 共 {3} 张床位</source>
        <translation>{0} {1}: {2} of {3} beds booked</translation>
    </message>
    <message numerus="yes">
        <source>超出 %n 张</source>
        <translation>
            <numerusform>%n bed over</numerusform>
            <numerusform>%n beds over</numerusform>
        </translation>
    </message>
    <message>
        <source>基地未确认：{0}</source>
        <translation>Not confirmed by the base: {0}</translation>
    </message>
    <message>
        <source>{0}（{1}）</source>
        <translation>{0} ({1})</translation>
    </message>
</context>
<context>
    <name>PlannerPanel</name>
    <message>
        <source>月</source>
        <translation>Month</translation>
    </message>
    <message>
        <source>周</source>
        <translation>Week</translation>
    </message>
    <message>
        <source>虚线框：基地未确认预订单</source>
        <translation>Dashed outline: the base has not confirmed the order</translation>
    </message>
    <message>
        <source>基地还没有确认批次当前的预订单（未发送、待回复、已拒绝或发出后有变更）的住宿。</source>
        <translation>Lodging at a base that has not confirmed the batch&apos;s current order (not sent, awaiting an answer, declined or changed since sent).</translation>
    </message>
    <message>
        <source>打印本页…</source>
        <translation>Print this page…</translation>
    </message>
    <message>
        <source>日程计划 {0}</source>
        <translation>Planner {0}</translation>
    </message>
    <message>
        <source>导游</source>
        <translation>Guide</translation>
    </message>
    <message>
        <source>车辆</source>
        <translation>Vehicle</translation>
    </message>
    <message>
        <source>{0} {1} 在 {2} 同时安排给 {3}</source>
        <translation>{0} {1} is booked on {2} for {3}</translation>
    </message>
    <message numerus="yes">
        <source>另有 %n 处</source>
        <comment>more clashes not listed</comment>
        <translation>
            <numerusform>%n more</numerusform>
            <numerusform>%n more</numerusform>
        </translation>
    </message>
    <message>
        <source>；</source>
        <comment>separates the clashes listed on one line</comment>
        <translation>; </translation>
    </message>
    <message>
        <source>不能移动</source>
        <translation>Cannot move</translation>
    </message>
    <message>
        <source>把 {0} 移到 {1} 至 {2}：</source>
        <translation>Moving {0} to {1} – {2}:</translation>
    </message>
    <message>
        <source>仍要移动吗？</source>
        <translation>Move it all the same?</translation>
    </message>
    <message>
        <source>移动批次</source>
        <translation>Move batch</translation>
    </message>
    <message>
        <source>移动已结束的批次</source>
        <translation>Moving a closed batch</translation>
    </message>
    <message>
        <source>批次 {0} 的状态是“{1}”。移动它的原因（记入批次历史）：</source>
        <translation>Batch {0} is “{1}”. The reason for moving it (kept in the batch&apos;s history):</translation>
    </message>
    <message>
        <source>移动</source>
        <translation>Move</translation>
    </message>
    <message>
        <source>不移动</source>
        <translation>Don&apos;t move</translation>
    </message>
    <message>
        <source>{0} 已移到 {1}</source>
        <translation>{0} moved to {1}</translation>
    </message>
</context>
<context>
    <name>Printing</name>
    <message>
        <source>{0} — {1}</source>
        <translation>{0} — {1}</translation>
    </message>
    <message>
        <source>共 {0} 行 · 打印于 {1}</source>
        <translation>Rows: {0} · printed {1}</translation>
    </message>
</context>
<context>
    <name>PrivacyPanel</name>
    <message>
        <source>年份</source>
        <extracomment>The tables whose changes may change who is due.</extracomment>
        <translation>Year</translation>
    </message>
    <message>
        <source>批次</source>
        <translation>Batches</translation>
    </message>
    <message>
        <source>人数</source>
        <translation>People</translation>
    </message>
    <message>
        <source>匿名化…</source>
        <translation>Anonymise…</translation>
    </message>
    <message>
        <source>匿名化删除团员的姓名、身份证号、电话、紧急联系人、健康状况、饮食、部门、房间号和备注，以及批次的领队、名单变动、候补、事件和问卷中指名道姓的内容；性别、年龄、职工类别、工作单位和人数保留，各项统计不变。匿名化不可撤销，只能从匿名化之前的备份恢复。</source>
        <translation>Anonymising removes the participants&apos; names, ID numbers, phones, emergency contacts, health, diets, departments, room numbers and notes, and whatever names people in the batches&apos; leaders, roster changes, waiting lists, incidents and questionnaires; sex, age, worker category, employer and head counts stay, and every statistic is unchanged. Anonymising cannot be undone except from a backup made before it.</translation>
    </message>
    <message>
        <source>匿名化此日期之前结束的批次：</source>
        <translation>Anonymise the batches that ended before:</translation>
    </message>
    <message>
        <source>不能读取个人信息保存期限</source>
        <translation>Cannot read the retention of personal data</translation>
    </message>
    <message>
        <source>保存期限：批次结束后 {0} 年（在上方“单位与政策”中修改）。今天最晚可以匿名化 {1} 之前结束的批次。</source>
        <translation>Years personal data is kept after a batch ends: {0} (changed under “Union and policy” above). Today the latest date is {1}: the batches that ended before it may be anonymised.</translation>
    </message>
    <message>
        <source>{0} 年 {1} 人</source>
        <translation>{1} from {0}</translation>
    </message>
    <message>
        <source>已匿名化：{0}（最近一次：{1}）。</source>
        <translation>Anonymised: {0} (last on {1}).</translation>
    </message>
    <message>
        <source>还没有匿名化过任何人。</source>
        <translation>Nobody has been anonymised yet.</translation>
    </message>
    <message>
        <source>{0} 之前结束的批次中，{1} 个批次的 {2} 人将被匿名化。</source>
        <translation>Batches that ended before {0}: {1}; people to anonymise in them: {2}.</translation>
    </message>
    <message>
        <source>{0} 之前结束的批次中没有待匿名化的人。</source>
        <translation>Nobody is left to anonymise in the batches that ended before {0}.</translation>
    </message>
    <message>
        <source>匿名化 {0} 之前结束的 {1} 个批次中的 {2} 人吗？</source>
        <translation>Anonymise the people of the batches that ended before {0} (batches: {1}, people: {2})?</translation>
    </message>
    <message>
        <source>匿名化个人信息</source>
        <translation>Anonymise personal data</translation>
    </message>
    <message>
        <source>不能匿名化</source>
        <translation>Cannot anonymise</translation>
    </message>
    <message>
        <source>正在匿名化…</source>
        <translation>Anonymising…</translation>
    </message>
</context>
<context>
    <name>RateCardDialog</name>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>有效期起</source>
        <translation>Valid from</translation>
    </message>
    <message>
        <source>有效期至</source>
        <translation>Valid to</translation>
    </message>
    <message>
        <source>税率</source>
        <translation>Tax rate</translation>
    </message>
    <message>
        <source>开票单位</source>
        <translation>Invoiced by</translation>
    </message>
    <message>
        <source>统一社会信用代码</source>
        <translation>Unified social credit code</translation>
    </message>
    <message>
        <source>开户银行</source>
        <translation>Bank</translation>
    </message>
    <message>
        <source>银行账号</source>
        <translation>Bank account</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>基地：{0}&#x3000;价格均含税；不填季节的价格适用于整个有效期。</source>
        <translation>Base: {0}  Prices include tax; a price without a season applies for the whole period of validity.</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>价格</source>
        <translation>Prices</translation>
    </message>
    <message>
        <source>不能保存价目表</source>
        <translation>Cannot save the rate card</translation>
    </message>
    <message>
        <source>价目表已被修改</source>
        <translation>The rate card was changed</translation>
    </message>
    <message>
        <source>现在重新载入吗？这里的修改将被放弃。</source>
        <translation>Reload it now? The changes made here will be discarded.</translation>
    </message>
    <message>
        <source>不能载入价目表</source>
        <translation>Cannot load the rate card</translation>
    </message>
    <message>
        <source>放弃修改</source>
        <translation>Discard changes</translation>
    </message>
    <message>
        <source>价目表的修改还没有保存，放弃这些修改吗？</source>
        <translation>The changes to the rate card are not saved. Discard them?</translation>
    </message>
</context>
<context>
    <name>RateCardsView</name>
    <message>
        <source>名称</source>
        <extracomment>The lines grid&apos;s columns. The most a column of the card list and of the price list takes before it is cut with “…” (its last column takes what is left of the tab).</extracomment>
        <translation>Name</translation>
    </message>
    <message>
        <source>有效期</source>
        <translation>Valid</translation>
    </message>
    <message>
        <source>今日有效</source>
        <translation>Valid today</translation>
    </message>
    <message>
        <source>价格数</source>
        <translation>Prices</translation>
    </message>
    <message>
        <source>税率</source>
        <translation>Tax rate</translation>
    </message>
    <message>
        <source>开票单位</source>
        <translation>Invoiced by</translation>
    </message>
    <message>
        <source>项目</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>季节</source>
        <translation>Season</translation>
    </message>
    <message>
        <source>整个有效期</source>
        <translation>Whole period</translation>
    </message>
    <message>
        <source>单价</source>
        <translation>Price</translation>
    </message>
    <message>
        <source>{0}：{1}</source>
        <comment>a price&apos;s kind and item</comment>
        <translation>{0}: {1}</translation>
    </message>
    <message>
        <source>计价单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>新建价目表…</source>
        <translation>New rate card…</translation>
    </message>
    <message>
        <source>编辑…</source>
        <translation>Edit…</translation>
    </message>
    <message>
        <source>复制为新一年…</source>
        <translation>Copy for next year…</translation>
    </message>
    <message>
        <source>以所选价目表为底稿新建下一年的价目表：有效期和各季节顺延一年，价格可在保存前修改。</source>
        <translation>A new rate card for the next year, drafted from the selected one: its validity and seasons move on a year; the prices can be changed before saving.</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>导入…</source>
        <translation>Import…</translation>
    </message>
    <message>
        <source>从 Excel 工作簿导入价目表：先列出将要做的修改和错误，确认后才写入。</source>
        <translation>Import rate cards from an Excel workbook: what would change and any errors are listed first; nothing is written until you confirm.</translation>
    </message>
    <message>
        <source>导出…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <source>导出为 Excel 工作簿，修改后可再导入。</source>
        <translation>Export as an Excel workbook, which can be changed and imported again.</translation>
    </message>
    <message>
        <source>本基地的价目表…</source>
        <translation>This base&apos;s rate cards…</translation>
    </message>
    <message>
        <source>全部基地的价目表…</source>
        <translation>Rate cards of all bases…</translation>
    </message>
    <message>
        <source>价格（含税）</source>
        <translation>Prices (tax included)</translation>
    </message>
    <message>
        <source>未填</source>
        <translation>not given</translation>
    </message>
    <message>
        <source>开票单位：{0}&#x3000;统一社会信用代码：{1}
开户银行：{2}&#x3000;账号：{3}</source>
        <translation>Invoiced by: {0}  Unified social credit code: {1}
Bank: {2}  Account: {3}</translation>
    </message>
    <message>
        <source>备注：{0}</source>
        <translation>Notes: {0}</translation>
    </message>
    <message>
        <source>{0}年价目表</source>
        <translation>Rate card {0}</translation>
    </message>
    <message>
        <source>新建价目表：{0}</source>
        <translation>New rate card: {0}</translation>
    </message>
    <message>
        <source>编辑价目表：{0}</source>
        <translation>Edit rate card: {0}</translation>
    </message>
    <message>
        <source>复制为新一年：{0}</source>
        <translation>Copy for next year: {0}</translation>
    </message>
    <message>
        <source>有效期和各季节已顺延一年，价格和开票信息照旧：请按基地新一年的报价核对后保存（保存时新建一份价目表，原价目表不变）。</source>
        <translation>The validity and every season have moved on a year; the prices and invoice details are unchanged: check them against the base&apos;s prices for the new year before saving (saving creates a new rate card; the old one stays as it is).</translation>
    </message>
    <message>
        <source>已保存价目表：{0} {1}</source>
        <translation>Rate card saved: {0} {1}</translation>
    </message>
    <message>
        <source>确定删除基地“{0}”的价目表“{1}”（{2}，价格 {3} 行）吗？此操作不能撤销，它的价格保留在操作日志中。</source>
        <translation>Delete the rate card “{1}” of the base “{0}” ({2}, prices: {3})? This cannot be undone; its prices are kept in the audit log.</translation>
    </message>
    <message>
        <source>删除价目表</source>
        <translation>Delete rate card</translation>
    </message>
    <message>
        <source>已删除价目表：{0} {1}</source>
        <translation>Rate card deleted: {0} {1}</translation>
    </message>
    <message>
        <source>不能删除价目表</source>
        <translation>Cannot delete the rate card</translation>
    </message>
    <message>
        <source>选择价目表工作簿</source>
        <translation>Choose a rate card workbook</translation>
    </message>
    <message>
        <source>Excel 工作簿 (*.xlsx *.xlsm *.xlsb *.xls *.ods);;所有文件 (*)</source>
        <translation>Excel workbooks (*.xlsx *.xlsm *.xlsb *.xls *.ods);;All files (*)</translation>
    </message>
    <message>
        <source>无法导入价目表</source>
        <translation>Cannot import the rate cards</translation>
    </message>
    <message>
        <source>价目表-全部基地.xlsx</source>
        <translation>Rate cards - all bases.xlsx</translation>
    </message>
    <message>
        <source>价目表-{0}.xlsx</source>
        <translation>Rate cards - {0}.xlsx</translation>
    </message>
    <message>
        <source>导出价目表</source>
        <translation>Export rate cards</translation>
    </message>
    <message>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbooks (*.xlsx)</translation>
    </message>
    <message>
        <source>无法导出价目表</source>
        <translation>Cannot export the rate cards</translation>
    </message>
</context>
<context>
    <name>RatesImportDialog</name>
    <message>
        <source>导入价目表：{0}</source>
        <translation>Import rate cards: {0}</translation>
    </message>
    <message>
        <source>新增</source>
        <translation>New</translation>
    </message>
    <message>
        <source>修改</source>
        <translation>Changed</translation>
    </message>
    <message>
        <source>未变</source>
        <translation>Unchanged</translation>
    </message>
    <message>
        <source>错误</source>
        <translation>Error</translation>
    </message>
    <message>
        <source>行号</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>基地</source>
        <translation>Base</translation>
    </message>
    <message>
        <source>价目表</source>
        <translation>Rate card</translation>
    </message>
    <message>
        <source>变化</source>
        <translation>Changes</translation>
    </message>
    <message>
        <source>见下方错误</source>
        <translation>see the errors below</translation>
    </message>
    <message>
        <source>价格 {0} 行</source>
        <translation>prices: {0}</translation>
    </message>
    <message>
        <source>价格：新增 {0}，删除 {1}，修改 {2}</source>
        <translation>prices: {0} added, {1} removed, {2} changed</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Removed</translation>
    </message>
    <message>
        <source>{0}：{1}</source>
        <translation>{0}: {1}</translation>
    </message>
    <message>
        <source>读取价目表 {0} 份、价格 {1} 行：将新增 {2} 份，修改 {3} 份，未变 {4} 份；错误 {5} 处。</source>
        <translation>{0} rate cards and {1} price rows read: {2} new, {3} changed, {4} unchanged; errors: {5}.</translation>
    </message>
    <message>
        <source>文件有错误，不能导入：请按每一处的说明改正后重新导入。未写入任何数据。</source>
        <translation>The file has errors and cannot be imported: correct each as its message says and import again. Nothing was written.</translation>
    </message>
    <message>
        <source>文件中的价目表与程序中的相同，没有要导入的修改。</source>
        <translation>The rate cards in the file are the same as in the program: there are no changes to import.</translation>
    </message>
    <message>
        <source>文件中的每份价目表将按文件写入（包括它的全部价格）；文件没有列出的价目表不变。确认后才会写入。</source>
        <translation>Each rate card in the file will be written as the file has it (with all its prices); rate cards the file does not list stay as they are. Nothing is written until you confirm.</translation>
    </message>
</context>
<context>
    <name>RecordPanel</name>
    <message>
        <source>搜索…</source>
        <extracomment>The right its records need to be created, changed and deleted (``ui/widgets/rights.py``): without it 新建, 删除 and 保存 are disabled saying why, and the form is read-only.</extracomment>
        <translation>Search…</translation>
    </message>
    <message>
        <source>新建</source>
        <translation>New</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>还原</source>
        <translation>Revert</translation>
    </message>
    <message>
        <source>历史</source>
        <translation>History</translation>
    </message>
    <message>
        <source>基本信息</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>在用</source>
        <translation>In use</translation>
    </message>
    <message>
        <source>已归档</source>
        <translation>Archived</translation>
    </message>
    <message>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <source>正在编辑的“{0}”已被其他用户删除或归档；您输入的内容仍在表单中，可以复制后放弃修改。</source>
        <translation>“{0}”, which you are editing, was deleted or archived at another desk; what you typed is still in the form: copy it, then drop the changes.</translation>
    </message>
    <message>
        <source>未保存的修改</source>
        <translation>Unsaved changes</translation>
    </message>
    <message>
        <source>“{0}”有未保存的修改。是否保存？</source>
        <translation>“{0}” has unsaved changes. Save them?</translation>
    </message>
    <message>
        <source>新记录</source>
        <translation>New record</translation>
    </message>
    <message>
        <source>已保存：{0}</source>
        <translation>Saved: {0}</translation>
    </message>
    <message>
        <source>记录已被修改</source>
        <translation>The record was changed</translation>
    </message>
    <message>
        <source>现在重新载入吗？</source>
        <translation>Reload it now?</translation>
    </message>
    <message>
        <source>无法完成</source>
        <translation>Cannot be done</translation>
    </message>
    <message>
        <source>确认删除</source>
        <translation>Confirm deletion</translation>
    </message>
    <message>
        <source>确定删除“{0}”吗？此操作不能撤销。</source>
        <translation>Delete “{0}”? This cannot be undone.</translation>
    </message>
    <message>
        <source>已删除：{0}</source>
        <translation>Deleted: {0}</translation>
    </message>
    <message>
        <source>改为归档吗？归档后不在列表中显示，历史记录保留。</source>
        <translation>Archive it instead? It leaves the lists and keeps its history.</translation>
    </message>
    <message>
        <source>不能删除</source>
        <translation>Cannot delete</translation>
    </message>
    <message>
        <source>已归档：{0}</source>
        <translation>Archived: {0}</translation>
    </message>
    <message>
        <source>搜索“{0}”</source>
        <translation>search “{0}”</translation>
    </message>
</context>
<context>
    <name>RegisterImport</name>
    <message>
        <source>选择登记表：{0}</source>
        <translation>Choose the register: {0}</translation>
    </message>
    <message>
        <source>登记表 (*.xlsx *.xlsm *.xlsb *.xls *.ods *.csv *.txt);;所有文件 (*)</source>
        <translation>Registers (*.xlsx *.xlsm *.xlsb *.xls *.ods *.csv *.txt);;All files (*)</translation>
    </message>
    <message>
        <source>所附名单删除 {0} 人。</source>
        <translation> Removed from the attached rosters: {0} people.</translation>
    </message>
    <message>
        <source>无法导入</source>
        <translation>Cannot import</translation>
    </message>
</context>
<context>
    <name>RegisterImportDialog</name>
    <message>
        <source>导入登记表：{0}</source>
        <translation>Import register: {0}</translation>
    </message>
    <message>
        <source>新增</source>
        <translation>New</translation>
    </message>
    <message>
        <source>修改</source>
        <translation>Changed</translation>
    </message>
    <message>
        <source>未变</source>
        <translation>Unchanged</translation>
    </message>
    <message>
        <source>错误</source>
        <translation>Error</translation>
    </message>
    <message>
        <source>行号</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>记录</source>
        <translation>Record</translation>
    </message>
    <message>
        <source>变化或问题</source>
        <translation>Changes or problems</translation>
    </message>
    <message>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>只导入正确的记录</source>
        <translation>Import the correct records only</translation>
    </message>
    <message>
        <source>名单调整的原因（必填，记入批次历史）</source>
        <translation>Reason for the roster changes (required, kept in the batch&apos;s history)</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>读取 {0} 行：新增 {1} 条，修改 {2} 条，未变 {3} 条，有错误 {4} 行。确认后才会写入。</source>
        <translation>{0} rows read: {1} new, {2} changed, {3} unchanged, {4} rows with errors. Nothing is written until you confirm.</translation>
    </message>
    <message>
        <source>所附名单 {0} 份：有改动 {1} 份，未变 {2} 份。</source>
        <translation>Attached rosters: {0} (changed: {1}, unchanged: {2}).</translation>
    </message>
    <message>
        <source>确认按所附名单删除 {0} 人（须填写原因）：{1}</source>
        <translation>Remove as the attached rosters say (people: {0}) — a reason is required: {1}</translation>
    </message>
</context>
<context>
    <name>Registers</name>
    <message>
        <source>疗休养基地</source>
        <translation>Bases</translation>
    </message>
    <message>
        <source>合作单位与协议</source>
        <translation>Partners and agreements</translation>
    </message>
    <message>
        <source>线路</source>
        <translation>Routes</translation>
    </message>
    <message>
        <source>批次</source>
        <translation>Batches</translation>
    </message>
    <message>
        <source>名单</source>
        <translation>Roster</translation>
    </message>
    <message>
        <source>登记表</source>
        <translation>register</translation>
    </message>
    <message>
        <source>模板</source>
        <translation>template</translation>
    </message>
    <message>
        <source>保存模板</source>
        <translation>Save template</translation>
    </message>
    <message>
        <source>导出登记表</source>
        <translation>Export register</translation>
    </message>
    <message>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbooks (*.xlsx)</translation>
    </message>
</context>
<context>
    <name>RollCallDialog</name>
    <message>
        <source>报到：{0}（{1} – {2}）</source>
        <translation>Roll call: {0} ({1} – {2})</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Employer</translation>
    </message>
    <message>
        <source>随行家属</source>
        <translation>Companion</translation>
    </message>
    <message>
        <source>报到</source>
        <translation>Roll call</translation>
    </message>
    <message>
        <source>姓名、身份证号后几位，或刷身份证；按 Enter 标为已到</source>
        <translation>A name, the last digits of an ID number, or swipe the ID card; Enter marks them present</translation>
    </message>
    <message>
        <source>已到(&amp;A)</source>
        <translation>&amp;Attended</translation>
    </message>
    <message>
        <source>未到(&amp;N)</source>
        <translation>&amp;No-show</translation>
    </message>
    <message>
        <source>提前离开(&amp;L)</source>
        <translation>&amp;Left early</translation>
    </message>
    <message>
        <source>清除标记</source>
        <translation>Clear mark</translation>
    </message>
    <message>
        <source>关闭报到…</source>
        <translation>Close roll call…</translation>
    </message>
    <message>
        <source>完成</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>无法读取名单</source>
        <translation>Cannot read the roster</translation>
    </message>
    <message>
        <source>共 {0} 人：已到 {1}，未到 {2}，提前离开 {3}，未标记 {4}</source>
        <translation>People: {0} · attended {1} · no-show {2} · left early {3} · not marked {4}</translation>
    </message>
    <message>
        <source>。报到已于 {0} 关闭</source>
        <translation>. Roll call closed on {0}</translation>
    </message>
    <message>
        <source>重新打开报到…</source>
        <translation>Reopen roll call…</translation>
    </message>
    <message>
        <source>报到已关闭：可以改标记，不能清除。</source>
        <translation>The roll call is closed: marks can be changed, not cleared.</translation>
    </message>
    <message>
        <source>身份证号请至少输入后 4 位。</source>
        <translation>Type at least the last 4 digits of an ID number.</translation>
    </message>
    <message>
        <source>名单中没有“{0}”。</source>
        <translation>“{0}” is not on the roster.</translation>
    </message>
    <message>
        <source>{0} 已经标为已到。</source>
        <translation>{0} is already marked as attended.</translation>
    </message>
    <message>
        <source>找到 {0} 人：用方向键选择，按 Enter 标为已到（Esc 返回）。</source>
        <translation>Matches: {0}. Choose with the arrow keys, Enter marks them present (Esc goes back).</translation>
    </message>
    <message>
        <source>先在名单中选择人员。</source>
        <translation>Choose people on the roster first.</translation>
    </message>
    <message>
        <source>✓ {0} 已报到</source>
        <translation>✓ {0} attended</translation>
    </message>
    <message>
        <source>{0}：{1}</source>
        <translation>{0}: {1}</translation>
    </message>
    <message>
        <source>不能标记</source>
        <translation>Cannot mark</translation>
    </message>
    <message>
        <source>重新打开批次 {0} 的报到？已有的标记保留。</source>
        <translation>Reopen the roll call of batch {0}? The marks made stay.</translation>
    </message>
    <message>
        <source>重新打开报到</source>
        <translation>Reopen roll call</translation>
    </message>
    <message>
        <source>不能重新打开报到</source>
        <translation>Cannot reopen the roll call</translation>
    </message>
    <message>
        <source>关闭批次 {0} 的报到？
还没有标记的 {1} 人将记为未到。关闭后仍可更正标记。</source>
        <translation>Close the roll call of batch {0}?
People not yet marked become no-shows: {1}. Marks can still be corrected afterwards.</translation>
    </message>
    <message>
        <source>关闭报到</source>
        <translation>Close roll call</translation>
    </message>
    <message>
        <source>不能关闭报到</source>
        <translation>Cannot close the roll call</translation>
    </message>
    <message>
        <source>报到已关闭：{0} 人记为未到。</source>
        <translation>Roll call closed; marked no-show: {0}.</translation>
    </message>
    <message>
        <source>报到已重新打开。</source>
        <translation>Roll call reopened.</translation>
    </message>
</context>
<context>
    <name>RoomsView</name>
    <message>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>基地</source>
        <translation>Base</translation>
    </message>
    <message>
        <source>人数</source>
        <translation>People</translation>
    </message>
    <message>
        <source>房间</source>
        <translation>Room</translation>
    </message>
    <message>
        <source>餐次</source>
        <translation>Meal</translation>
    </message>
    <message>
        <source>基地（厨房）</source>
        <translation>Base (kitchen)</translation>
    </message>
    <message>
        <source>用餐人数</source>
        <translation>Diners</translation>
    </message>
    <message>
        <source>自动分房</source>
        <translation>Pair rooms</translation>
    </message>
    <message>
        <source>已分 {0} 间房（其中单人间 {1} 间），另需导游、司机房 {2} 间。</source>
        <translation>{0} rooms assigned ({1} single); {2} more rooms for the guide and the driver.</translation>
    </message>
    <message>
        <source>不能分房</source>
        <translation>Cannot pair rooms</translation>
    </message>
</context>
<context>
    <name>RosterLife</name>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>手机</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Employer</translation>
    </message>
    <message>
        <source>职工类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>未标记</source>
        <translation>Not marked</translation>
    </message>
    <message>
        <source>提前离开（{0}）</source>
        <translation>Left early ({0})</translation>
    </message>
</context>
<context>
    <name>RosterView</name>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>性别</source>
        <translation>Sex</translation>
    </message>
    <message>
        <source>年龄</source>
        <translation>Age</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>手机</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Employer</translation>
    </message>
    <message>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>劳模</source>
        <translation>Model worker</translation>
    </message>
    <message>
        <source>随行家属</source>
        <translation>Companion</translation>
    </message>
    <message>
        <source>报到</source>
        <translation>Roll call</translation>
    </message>
    <message>
        <source>房间</source>
        <translation>Room</translation>
    </message>
    <message>
        <source>按姓名、单位查找…</source>
        <translation>Find by name or employer…</translation>
    </message>
    <message>
        <source>导入名单…</source>
        <translation>Import roster…</translation>
    </message>
    <message>
        <source>添加团员</source>
        <translation>Add person</translation>
    </message>
    <message>
        <source>修改</source>
        <translation>Edit</translation>
    </message>
    <message>
        <source>移出名单…</source>
        <translation>Take off the roster…</translation>
    </message>
    <message>
        <source>换人…</source>
        <translation>Substitute…</translation>
    </message>
    <message>
        <source>转到其他批次…</source>
        <translation>Move to another batch…</translation>
    </message>
    <message>
        <source>标为随行家属</source>
        <translation>Mark as companion</translation>
    </message>
    <message>
        <source>报到…</source>
        <translation>Roll call…</translation>
    </message>
    <message>
        <source>团员</source>
        <translation>People</translation>
    </message>
    <message>
        <source>候补</source>
        <translation>Waiting list</translation>
    </message>
    <message>
        <source>名单变动</source>
        <translation>Roster changes</translation>
    </message>
    <message>
        <source>报到已于 {0} 关闭：名单是实际到场的记录。如需更正，先在“报到…”中重新打开报到。</source>
        <translation>The roll call was closed on {0}: the roster is the record of who came. To correct it, reopen the roll call under “Roll call…” first.</translation>
    </message>
    <message>
        <source>批次已完成或已取消：名单不能再换人、转出或递补。</source>
        <translation>The batch is completed or cancelled: its roster takes no more substitutions, moves or people from the waiting list.</translation>
    </message>
    <message>
        <source>取消随行家属</source>
        <translation>Not a companion</translation>
    </message>
    <message>
        <source>换人：{0} {1}</source>
        <translation>Substitute: {0} {1}</translation>
    </message>
    <message>
        <source>由谁替换 {0}（{1}）？原因记入名单历史。</source>
        <translation>Who takes the place of {0} ({1})? The reason goes into the roster history.</translation>
    </message>
    <message>
        <source>如：因病不能参加，由同部门同事替换</source>
        <translation>e.g. ill, replaced by a colleague from the same department</translation>
    </message>
    <message>
        <source>换人</source>
        <translation>Substitute</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>{0} 已替换 {1}</source>
        <translation>{0} replaced {1}</translation>
    </message>
    <message>
        <source>提醒</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>不能换人</source>
        <translation>Cannot substitute</translation>
    </message>
    <message>
        <source>（家属）</source>
        <translation> (companion)</translation>
    </message>
    <message>
        <source>转到其他批次</source>
        <translation>Move to another batch</translation>
    </message>
    <message>
        <source>把 {0} 人（{1}）从批次 {2} 转到同一合作单位的另一个批次（未完成、未关闭报到）：</source>
        <translation>Move {0} people ({1}) from batch {2} to another batch of the same partner (not completed, roll call open):</translation>
    </message>
    <message>
        <source>这个合作单位没有其他未完成、未关闭报到的批次。</source>
        <translation>This partner has no other batch that is not completed and whose roll call is open.</translation>
    </message>
    <message>
        <source>转到批次</source>
        <translation>To batch</translation>
    </message>
    <message>
        <source>转过去</source>
        <translation>Move</translation>
    </message>
    <message>
        <source>{0}（{1} – {2}，{3}，{4} 人）</source>
        <translation>{0} ({1} – {2}, {3}, people: {4})</translation>
    </message>
    <message>
        <source>{0} 人已转到批次 {1}</source>
        <translation>Moved to batch {1}: {0}</translation>
    </message>
    <message>
        <source>不能转到其他批次</source>
        <translation>Cannot move to another batch</translation>
    </message>
    <message>
        <source>不能修改</source>
        <translation>Cannot change</translation>
    </message>
    <message>
        <source>修改已结束批次的名单</source>
        <translation>Changing a finished batch&apos;s roster</translation>
    </message>
    <message>
        <source>批次 {0} 已完成或已取消。修改 {1} 的原因（记入批次历史）：</source>
        <translation>Batch {0} is completed or cancelled. The reason for changing {1} (kept in the batch&apos;s history):</translation>
    </message>
    <message>
        <source>未保存</source>
        <translation>Not saved</translation>
    </message>
    <message>
        <source>修改已结束批次的名单需要填写原因。</source>
        <translation>Changing a finished batch&apos;s roster needs a reason.</translation>
    </message>
    <message>
        <source>不能保存</source>
        <translation>Cannot save</translation>
    </message>
    <message>
        <source>移出名单</source>
        <translation>Take off the roster</translation>
    </message>
    <message>
        <source>将 {0} 移出名单的原因（记入批次历史）：</source>
        <translation>Why is {0} taken off the roster (recorded in the batch&apos;s history)?</translation>
    </message>
    <message>
        <source>不能移出</source>
        <translation>Cannot remove</translation>
    </message>
    <message>
        <source>共 {0} 人（男 {1}，女 {2}）</source>
        <translation>{0} people ({1} men, {2} women)</translation>
    </message>
    <message>
        <source>，其中随行家属 {0} 人</source>
        <translation>, companions: {0}</translation>
    </message>
    <message>
        <source>。报到已于 {0} 关闭，名单不再加人或删人</source>
        <translation>. The roll call was closed on {0}: nobody is added or removed</translation>
    </message>
    <message>
        <source>无法读取名单</source>
        <translation>Cannot read the roster</translation>
    </message>
    <message>
        <source>选择名单文件</source>
        <translation>Choose the roster file</translation>
    </message>
    <message>
        <source>名单 (*.xlsx *.xlsm *.xlsb *.xls *.ods *.csv *.txt);;所有文件 (*)</source>
        <translation>Rosters (*.xlsx *.xlsm *.xlsb *.xls *.ods *.csv *.txt);;All files (*)</translation>
    </message>
    <message>
        <source>无法导入</source>
        <translation>Cannot import</translation>
    </message>
    <message>
        <source>批次 {0} 名单已导入：新增 {1}，删除 {2}，修改 {3}</source>
        <translation>Roster of batch {0} imported: {1} added, {2} removed, {3} changed</translation>
    </message>
</context>
<context>
    <name>RoutesPanel</name>
    <message>
        <source>在用</source>
        <translation>In use</translation>
    </message>
    <message>
        <source>已归档</source>
        <translation>Archived</translation>
    </message>
    <message>
        <source>新建线路</source>
        <translation>New route</translation>
    </message>
    <message>
        <source>复制为新线路…</source>
        <translation>Copy as new route…</translation>
    </message>
    <message>
        <source>打印线路介绍…</source>
        <translation>Print route brochure…</translation>
    </message>
    <message>
        <source>编号</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>主题</source>
        <translation>Theme</translation>
    </message>
    <message>
        <source>天数</source>
        <translation>Days</translation>
    </message>
    <message>
        <source>晚数</source>
        <translation>Nights</translation>
    </message>
    <message>
        <source>价格（元/人）</source>
        <translation>Price (yuan/person)</translation>
    </message>
    <message>
        <source>季节</source>
        <translation>Season</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>未定</source>
        <translation>Not set</translation>
    </message>
    <message>
        <source>适用季节</source>
        <translation>Season</translation>
    </message>
    <message>
        <source>简介</source>
        <translation>Description</translation>
    </message>
    <message>
        <source>复制线路</source>
        <translation>Copy route</translation>
    </message>
    <message>
        <source>新线路的编号：</source>
        <translation>Code of the new route:</translation>
    </message>
    <message>
        <source>{0}（副本）</source>
        <comment>the name of a copied route</comment>
        <translation>{0} (copy)</translation>
    </message>
    <message>
        <source>已复制为 {0}</source>
        <translation>Copied as {0}</translation>
    </message>
    <message>
        <source>不能复制</source>
        <translation>Cannot copy</translation>
    </message>
</context>
<context>
    <name>RulesTable</name>
    <message>
        <source>类别</source>
        <extracomment>The rule table&apos;s columns.</extracomment>
        <translation>Kind</translation>
    </message>
    <message>
        <source>数额</source>
        <translation>Amount</translation>
    </message>
    <message>
        <source>方式</source>
        <translation>Mode</translation>
    </message>
    <message>
        <source>有效期起</source>
        <translation>Valid from</translation>
    </message>
    <message>
        <source>有效期至</source>
        <translation>Valid to</translation>
    </message>
    <message>
        <source>依据</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>上限和保额下限填金额（元），如 600 或 1,000,000；天数上限填天数，如 5。</source>
        <translation>Caps and minimum covers as an amount in yuan, such as 600 or 1,000,000; a limit of days as days, such as 5.</translation>
    </message>
    <message>
        <source>如 2020-01-01；留空表示不限。</source>
        <translation>e.g. 2020-01-01; empty means no limit.</translation>
    </message>
    <message>
        <source>如 2025-12-31；留空表示不限。</source>
        <translation>e.g. 2025-12-31; empty means no limit.</translation>
    </message>
    <message>
        <source>必填：文件名称、文号和条文。</source>
        <translation>Required: the document&apos;s title, its number and the article.</translation>
    </message>
    <message>
        <source>请填写数额。</source>
        <translation>Enter the amount.</translation>
    </message>
    <message>
        <source>天数应为正整数，如 5。</source>
        <translation>The days must be a whole number above 0, such as 5.</translation>
    </message>
    <message>
        <source>“{0}”不是金额：请以元填写，最多两位小数，如 600 或 600.50。</source>
        <translation>“{0}” is not an amount: write it in yuan with at most two decimals, such as 600 or 600.50.</translation>
    </message>
    <message>
        <source>“{0}”不是日期：请写成 2020-01-01，或留空。</source>
        <translation>“{0}” is not a date: write it as 2020-01-01, or leave it empty.</translation>
    </message>
</context>
<context>
    <name>SatisfactionPanel</name>
    <message>
        <source>按基地</source>
        <translation>By base</translation>
    </message>
    <message>
        <source>按线路</source>
        <translation>By route</translation>
    </message>
    <message>
        <source>按合作单位</source>
        <translation>By partner</translation>
    </message>
    <message>
        <source>各批次回收率</source>
        <translation>Response rates</translation>
    </message>
    <message>
        <source>批次</source>
        <translation>Batches</translation>
    </message>
    <message>
        <source>合作单位</source>
        <translation>Partner</translation>
    </message>
    <message>
        <source>批次编号</source>
        <translation>Batch</translation>
    </message>
    <message>
        <source>线路</source>
        <translation>Route</translation>
    </message>
    <message>
        <source>到达</source>
        <translation>Arrival</translation>
    </message>
    <message>
        <source>人次</source>
        <translation>People</translation>
    </message>
    <message>
        <source>问卷</source>
        <translation>Responses</translation>
    </message>
    <message>
        <source>回收率</source>
        <translation>Response rate</translation>
    </message>
    <message>
        <source>{0} 份评分，{1} 星</source>
        <translation>Ratings: {0}, stars: {1}</translation>
    </message>
    <message>
        <source>基地</source>
        <translation>Base</translation>
    </message>
    <message>
        <source>总体满意度</source>
        <translation>Overall</translation>
    </message>
    <message>
        <source>评分数</source>
        <translation>Ratings</translation>
    </message>
    <message>
        <source>未结严重事件</source>
        <translation>Open serious</translation>
    </message>
    <message>
        <source>复核关注</source>
        <translation>Review</translation>
    </message>
    <message>
        <source>已结束的批次（各类，未取消）{0} 个，其中 {1} 个收回了问卷；问卷 {2} 份，这些批次实到 {3} 人次，回收率 {4}。</source>
        <translation>Batches ended (every kind, not cancelled): {0}, {1} of them with questionnaires returned; questionnaires: {2} from the {3} people who came on these batches, a response rate of {4}.</translation>
    </message>
    <message>
        <source>均分 = 星数之和 ÷ 评分数（1–5 星，一位小数），只计到达日期在这段时间、未取消的批次的问卷。按基地：问卷中对该基地的评分；按线路：对线路本身的评分；按合作单位：其团员的全部评分（基地和线路）。人次为团员（报到后按实到）。复核关注：总体满意度低于 {0}（评分满 {1} 份）、有未结案的严重事件、或最近一次检查有“应”条款不符合；本期 {2} 个基地需关注。</source>
        <translation>Mean = sum of stars ÷ ratings (1–5 stars, one decimal), counting only the questionnaires of batches that arrived in this period and were not cancelled. By base: the ratings of that base; by route: the ratings of the route itself; by partner: every rating by its members (bases and route). People are members (those who came, once the roll call is closed). Review: an overall rating below {0} (from {1} ratings on), a serious incident still open, or a “shall” clause not met in the latest inspection; bases flagged in this period: {2}.</translation>
    </message>
</context>
<context>
    <name>ScorecardView</name>
    <message>
        <source>打印评分表…</source>
        <translation>Print scorecard…</translation>
    </message>
    <message>
        <source>这个基地这一年的评分表（一页 A4），与上一年对比</source>
        <translation>This base&apos;s scorecard for the year (one A4 page), against the year before</translation>
    </message>
    <message>
        <source>打印复核档案…</source>
        <translation>Print re-check file…</translation>
    </message>
    <message>
        <source>给复核评审组的一份 PDF：认定历程、两年的评分表、实地检查、事件、意见摘录和签字栏</source>
        <translation>A PDF for the re-check panel: the certification history, the scorecards of two years, inspections, incidents, selected comments and signature lines</translation>
    </message>
    <message>
        <source>年份</source>
        <translation>Year</translation>
    </message>
    <message>
        <source>主要数字</source>
        <translation>Main figures</translation>
    </message>
    <message>
        <source>总体满意度</source>
        <translation>Overall satisfaction</translation>
    </message>
    <message>
        <source>问卷</source>
        <translation>Responses</translation>
    </message>
    <message>
        <source>接待批次</source>
        <translation>Batches received</translation>
    </message>
    <message>
        <source>接待人次</source>
        <translation>People received</translation>
    </message>
    <message>
        <source>床位利用率</source>
        <translation>Bed utilisation</translation>
    </message>
    <message>
        <source>未结严重事件</source>
        <translation>Open serious incidents</translation>
    </message>
    <message>
        <source>维度</source>
        <translation>Aspect</translation>
    </message>
    <message>
        <source>本年</source>
        <translation>This year</translation>
    </message>
    <message>
        <source>本年评分数</source>
        <translation>Ratings</translation>
    </message>
    <message>
        <source>{0}年与{1}年对比。</source>
        <translation>{0} compared with {1}. </translation>
    </message>
    <message>
        <source>{0}年没有这个基地的任何数据（无接待批次、评分、事件和实地检查），不作对比。</source>
        <translation>No figures for this base in {0} (no batch, rating, incident or inspection): nothing to compare with. </translation>
    </message>
    <message>
        <source>均分 = 星数之和 ÷ 评分数，四舍五入到一位小数；只计到达日期在当年、未取消的批次的问卷中对本基地的评分。</source>
        <translation>Mean = sum of stars ÷ ratings, rounded to one decimal; only ratings of this base in questionnaires of batches arriving in the year and not cancelled.</translation>
    </message>
    <message>
        <source>认定状态（今天）：{0}</source>
        <translation>Certification (today): {0}</translation>
    </message>
    <message>
        <source>认定状态（今天）：{0} · {1}</source>
        <translation>Certification (today): {0} · {1}</translation>
    </message>
    <message>
        <source>上年</source>
        <translation>Last year</translation>
    </message>
    <message>
        <source>上年评分数</source>
        <translation>Last yr ratings</translation>
    </message>
    <message>
        <source>趋势</source>
        <translation>Trend</translation>
    </message>
    <message>
        <source>事件类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>本年合计</source>
        <translation>This year</translation>
    </message>
    <message>
        <source>满意度（1–5 星）</source>
        <translation>Satisfaction (1–5 stars)</translation>
    </message>
    <message>
        <source>事件（按类型与严重程度）</source>
        <translation>Incidents (by kind and severity)</translation>
    </message>
    <message>
        <source>实地检查（本年最近一次）</source>
        <translation>Inspection (the latest this year)</translation>
    </message>
    <message>
        <source>需复核关注：
{0}</source>
        <translation>Flagged for review:
{0}</translation>
    </message>
    <message>
        <source>无需复核关注：总体满意度、严重事件和“应”条款均未触及复核关注线。</source>
        <translation>Not flagged for review: the overall rating, serious incidents and “shall” clauses are all within the review lines.</translation>
    </message>
    <message>
        <source>{0}（{1} 份评分）</source>
        <translation>{0} (ratings: {1})</translation>
    </message>
    <message>
        <source>{0} 份（回收率 {1}）</source>
        <translation>{0} (response rate {1})</translation>
    </message>
    <message>
        <source>{0}（家属 {1}）</source>
        <translation>{0} (companions: {1})</translation>
    </message>
    <message>
        <source>已用 {0} / 可用 {1} 床位·晚</source>
        <translation>{0} of {1} bed-nights used</translation>
    </message>
    <message>
        <source>合计</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>本年事件 {0} 起，未结案 {1} 起；事件记录未指明基地的，按批次当晚住宿的基地计入。</source>
        <translation>Incidents this year: {0}, still open: {1}. An incident naming no base counts for the base where the batch lodged that night.</translation>
    </message>
    <message>
        <source>，有效期至 {0}</source>
        <translation>, valid to {0}</translation>
    </message>
    <message>
        <source>，复核日期 {0}</source>
        <translation>, re-check due {0}</translation>
    </message>
    <message>
        <source>{0}年没有实地检查记录。</source>
        <translation>No inspection recorded in {0}.</translation>
    </message>
    <message>
        <source>{0}（{1}）：共 {2} 条，符合 {3}，不符合 {4}，不适用 {5}，未检查 {6}。</source>
        <translation>{0} ({1}): {2} clauses: {3} met, {4} not met, {5} not applicable, {6} unchecked.</translation>
    </message>
    <message>
        <source>“应”条款不符合：{0}</source>
        <translation> “Shall” clauses not met: {0}</translation>
    </message>
    <message>
        <source>{0} {1} 年评分表</source>
        <translation>Scorecard of {0}, {1}</translation>
    </message>
    <message>
        <source>{0} 复核档案（{1} 年）</source>
        <translation>Re-check file of {0} ({1})</translation>
    </message>
    <message>
        <source>不能打印</source>
        <translation>Cannot print</translation>
    </message>
</context>
<context>
    <name>SeasonCell</name>
    <message>
        <source>季节</source>
        <translation>Season</translation>
    </message>
    <message>
        <source>勾选后这一价格只在所填日期内适用，替代整个有效期的价格（如暑期房价）。</source>
        <translation>When ticked, the price applies only between the dates given, instead of the price for the whole period (such as a summer room rate).</translation>
    </message>
    <message>
        <source>整个有效期</source>
        <translation>Whole period</translation>
    </message>
</context>
<context>
    <name>SentDialog</name>
    <message>
        <source>标记预订单已发出</source>
        <translation>Mark the order sent</translation>
    </message>
    <message>
        <source>发出日期</source>
        <translation>Sent on</translation>
    </message>
    <message>
        <source>发送方式</source>
        <translation>How it was sent</translation>
    </message>
    <message>
        <source>附完整证件号（基地办理住宿登记）</source>
        <translation>With full ID numbers (the base registers the guests with the police)</translation>
    </message>
    <message>
        <source>{0}：第 {1} 版</source>
        <translation>{0}: edition {1}</translation>
    </message>
    <message>
        <source>再次发出后，基地此前的回复作废，需要基地重新确认这一版。</source>
        <translation>Sending again voids the base&apos;s earlier answer; the base must confirm this edition.</translation>
    </message>
    <message>
        <source>这份预订单已经发过；再次发出会记为新的一版。</source>
        <translation>This order was sent before; sending it again records a new edition.</translation>
    </message>
    <message>
        <source>标记已发出</source>
        <translation>Mark sent</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>ServerDialog</name>
    <message>
        <source>连接数据库服务器</source>
        <translation>Connect to a database server</translation>
    </message>
    <message>
        <source>记住密码（保存在本机设置文件中，仅本用户可读）</source>
        <translation>Remember the password (kept in this computer&apos;s settings file, readable by this user only)</translation>
    </message>
    <message>
        <source>服务器地址</source>
        <translation>Server address</translation>
    </message>
    <message>
        <source>端口</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>数据库名</source>
        <translation>Database name</translation>
    </message>
    <message>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>测试连接</source>
        <translation>Test connection</translation>
    </message>
    <message>
        <source>先测试连接</source>
        <translation>Test the connection first</translation>
    </message>
    <message>
        <source>正在连接…</source>
        <translation>Connecting…</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>这个文件不是可以嵌入 PDF 的 TrueType 中文字体（.ttf 或 .ttc）。</source>
        <translation>This file is not a TrueType Chinese font (.ttf or .ttc) that can be embedded in a PDF.</translation>
    </message>
    <message>
        <source>界面语言</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>语言</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>工会名称（印在文件上）</source>
        <translation>Union name (printed on documents)</translation>
    </message>
    <message>
        <source>地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>每批最多天数（含往返）</source>
        <translation>Maximum days per batch (with travel)</translation>
    </message>
    <message>
        <source>同一人再次参加的间隔（天）</source>
        <translation>Days before the same person may go again</translation>
    </message>
    <message>
        <source>超出协议配额时</source>
        <translation>When a quota is exceeded</translation>
    </message>
    <message>
        <source>提醒</source>
        <translation>Warn</translation>
    </message>
    <message>
        <source>拒绝</source>
        <translation>Refuse</translation>
    </message>
    <message>
        <source>预订单未确认时</source>
        <translation>Unconfirmed orders</translation>
    </message>
    <message>
        <source>预订单等待回复天数（超过则在总览提醒）</source>
        <translation>Days an order may wait for an answer (then the overview says so)</translation>
    </message>
    <message>
        <source>问卷的评分维度（按顺序，用顿号分隔）</source>
        <translation>Questionnaire dimensions (in order, comma-separated)</translation>
    </message>
    <message>
        <source>总体满意度低于多少星需复核关注</source>
        <translation>Flag a base for review below (overall stars)</translation>
    </message>
    <message>
        <source>至少多少份答卷才据此标记</source>
        <translation>…on at least this many answers</translation>
    </message>
    <message>
        <source>个人信息保存年数（批次结束后满这些年可匿名化）</source>
        <translation>Years personal data is kept after a batch ends (then it may be anonymised)</translation>
    </message>
    <message>
        <source>PDF 中文字体文件（留空则自动查找）</source>
        <translation>Chinese font file for PDFs (empty: found automatically)</translation>
    </message>
    <message>
        <source>有基地还没有确认批次当前的预订单（未发出、待回复、已拒绝或发出后有变更）时：“拒绝”不能确认批次；“提醒”可以确认，并列出未确认的基地。</source>
        <translation>When a base has not confirmed the batch&apos;s current order (not sent, awaiting an answer, declined or changed since sent): “Refuse” does not let the batch be confirmed; “Warn” confirms it and lists the bases that have not confirmed.</translation>
    </message>
    <message>
        <source>可选：{0}。问卷按这个顺序给每个基地和线路打分。</source>
        <translation>Choose among: {0}. Questionnaires rate each base and the route in this order.</translation>
    </message>
    <message>
        <source>保存设置</source>
        <translation>Save settings</translation>
    </message>
    <message>
        <source>单位与政策</source>
        <translation>Union and policy</translation>
    </message>
    <message>
        <source>数据库</source>
        <translation>Database</translation>
    </message>
    <message>
        <source>备份到…</source>
        <translation>Back up to…</translation>
    </message>
    <message>
        <source>从备份恢复…</source>
        <translation>Restore from backup…</translation>
    </message>
    <message>
        <source>打开数据文件夹</source>
        <translation>Open data folder</translation>
    </message>
    <message>
        <source>使用数据库服务器…</source>
        <translation>Use a database server…</translation>
    </message>
    <message>
        <source>把本机数据复制到服务器…</source>
        <translation>Copy this computer&apos;s data to a server…</translation>
    </message>
    <message>
        <source>改用本机数据库文件</source>
        <translation>Use the database file on this computer</translation>
    </message>
    <message>
        <source>开始使用向导…</source>
        <translation>First-run assistant…</translation>
    </message>
    <message>
        <source>当前数据库</source>
        <translation>Database in use</translation>
    </message>
    <message>
        <source>多人共用</source>
        <translation>Shared desks</translation>
    </message>
    <message>
        <source>服务器上的数据库由服务器备份（pg_dump）</source>
        <translation>A server database is backed up on the server (pg_dump)</translation>
    </message>
    <message>
        <source>开支标准（按地区的经费规则）</source>
        <translation>Spending rules (funding rules by region)</translation>
    </message>
    <message>
        <source>用户与角色</source>
        <translation>Users and roles</translation>
    </message>
    <message>
        <source>个人信息保存期限</source>
        <translation>Retention of personal data</translation>
    </message>
    <message>
        <source>标准条款（实地考察检查表）</source>
        <translation>Standard clauses (the inspection checklist)</translation>
    </message>
    <message>
        <source>未保存的修改</source>
        <translation>Unsaved changes</translation>
    </message>
    <message>
        <source>设置有未保存的修改。是否保存？</source>
        <translation>The settings have unsaved changes. Save them?</translation>
    </message>
    <message>
        <source>设置已保存</source>
        <translation>Settings saved</translation>
    </message>
    <message>
        <source>不能保存</source>
        <translation>Cannot save</translation>
    </message>
    <message>
        <source>界面语言将在重新启动程序后改变。</source>
        <translation>The language changes when the program restarts.</translation>
    </message>
    <message>
        <source>下次启动使用本机数据库文件 {0}。</source>
        <translation>At the next start the program uses the database file {0}.</translation>
    </message>
    <message>
        <source>下次启动使用服务器数据库 {0}。</source>
        <translation>At the next start the program uses the server database {0}.</translation>
    </message>
    <message>
        <source>（环境变量 RECUPERATION_DB 优先。）</source>
        <translation>(The RECUPERATION_DB environment variable takes precedence.)</translation>
    </message>
    <message>
        <source>使用数据库服务器</source>
        <translation>Use a database server</translation>
    </message>
    <message>
        <source>已保存。重新启动程序后使用服务器数据库 {0}。</source>
        <translation>Saved. The program uses the server database {0} after a restart.</translation>
    </message>
    <message>
        <source>重新启动程序后使用本机数据库文件 {0}。</source>
        <translation>The program uses the database file {0} after a restart.</translation>
    </message>
    <message>
        <source>把本机数据复制到服务器</source>
        <translation>Copy this computer&apos;s data to a server</translation>
    </message>
    <message>
        <source>正在复制并核对…</source>
        <translation>Copying and verifying…</translation>
    </message>
    <message>
        <source>复制完成</source>
        <translation>Copy finished</translation>
    </message>
    <message>
        <source>以后使用服务器上的这个数据库吗？</source>
        <translation>Use this server database from now on?</translation>
    </message>
    <message>
        <source>不能复制</source>
        <translation>Cannot copy</translation>
    </message>
    <message>
        <source>备份数据库</source>
        <translation>Back up the database</translation>
    </message>
    <message>
        <source>数据库 (*.db)</source>
        <translation>Databases (*.db)</translation>
    </message>
    <message>
        <source>选择备份文件</source>
        <translation>Choose a backup</translation>
    </message>
    <message>
        <source>数据库 (*.db);;所有文件 (*)</source>
        <translation>Databases (*.db);;All files (*)</translation>
    </message>
    <message>
        <source>用备份“{0}”替换当前数据库吗？当前数据库会先另存一份。</source>
        <translation>Replace the database with the backup “{0}”? A copy of the current database is kept first.</translation>
    </message>
    <message>
        <source>从备份恢复</source>
        <translation>Restore from backup</translation>
    </message>
    <message>
        <source>不能恢复</source>
        <translation>Cannot restore</translation>
    </message>
</context>
<context>
    <name>SettlementView</name>
    <message>
        <source>基地</source>
        <translation>Base</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>发票</source>
        <translation>Invoice</translation>
    </message>
    <message>
        <source>已付</source>
        <translation>Paid</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>项目</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>差额</source>
        <translation>Difference</translation>
    </message>
    <message>
        <source>登记发票…</source>
        <translation>Enter invoice…</translation>
    </message>
    <message>
        <source>审批</source>
        <translation>Approve</translation>
    </message>
    <message>
        <source>付款…</source>
        <translation>Pay…</translation>
    </message>
    <message>
        <source>附件</source>
        <translation>Open scan</translation>
    </message>
    <message>
        <source>删除发票</source>
        <translation>Delete invoice</translation>
    </message>
    <message>
        <source>实际费用</source>
        <translation>the actual cost</translation>
    </message>
    <message>
        <source>计划费用</source>
        <translation>the planned cost</translation>
    </message>
    <message>
        <source>{0}：{1}</source>
        <translation>{0}: {1}</translation>
    </message>
    <message>
        <source>计划 {0} 元</source>
        <translation>Planned ¥{0}</translation>
    </message>
    <message>
        <source>，实际 {0} 元（按报到）</source>
        <translation>, actual ¥{0} (from the roll call)</translation>
    </message>
    <message>
        <source>，实际费用在批次完成并关闭报到后计算</source>
        <translation>; the actual cost is worked out once the batch is completed and its roll call closed</translation>
    </message>
    <message>
        <source>{0}缺少价格（标 * 的金额只是已计价的部分）：请在价目表中补上。</source>
        <translation>Prices are missing from {0} (an amount marked * is only the priced part): add them to the rate card.</translation>
    </message>
    <message>
        <source>发票 {0}，{1}开，{2} 元（税率 {3}，其中税额 {4} 元）</source>
        <translation>Invoice {0}, issued {1}, ¥{2} (tax rate {3}, tax ¥{4})</translation>
    </message>
    <message>
        <source>{0} 于 {1} 审批</source>
        <translation>Approved by {0} on {1}</translation>
    </message>
    <message>
        <source>付款 {0}：{1} 元，凭证 {2}</source>
        <translation>Paid {0}: ¥{1}, reference {2}</translation>
    </message>
    <message>
        <source>还应付 {0} 元</source>
        <translation>¥{0} outstanding</translation>
    </message>
    <message>
        <source>收到基地的发票后，点“登记发票…”。</source>
        <translation>When the base&apos;s invoice arrives, click “Enter invoice…”.</translation>
    </message>
    <message>
        <source>批次进行中或完成后，再登记基地的发票。</source>
        <translation>The bases&apos; invoices are entered once the batch is under way or completed.</translation>
    </message>
    <message>
        <source>按价目表这个基地没有费用，不需要结算。</source>
        <translation>By its rate card nothing is owed to this base: there is nothing to settle.</translation>
    </message>
    <message>
        <source>差额已全部说明：可以审批。</source>
        <translation>The difference is fully explained: the invoice can be approved.</translation>
    </message>
    <message>
        <source>已审批：付款后点“付款…”登记。</source>
        <translation>Approved: once paid, record the payment with “Pay…”.</translation>
    </message>
    <message>
        <source>这个批次没有安排在任何基地住宿、用餐或活动，没有需要结算的费用。</source>
        <translation>This batch has no lodging, meals or activities at any base: there is nothing to settle.</translation>
    </message>
    <message>
        <source>{0} 元</source>
        <comment>an amount of yuan in a sentence</comment>
        <extracomment>Wanting the coordinator (yellow), done (green); nothing owed and a batch not under way stay plain. The right each action needs (``ui/widgets/rights.py``): invoices and payments are 财务&apos;s, approving is 负责人&apos;s; the attachment and the sheet are read by everyone.</extracomment>
        <translation>¥{0}</translation>
    </message>
    <message>
        <source>计划</source>
        <translation>Planned</translation>
    </message>
    <message>
        <source>实际</source>
        <translation>Actual</translation>
    </message>
    <message>
        <source>已说明</source>
        <translation>explained</translation>
    </message>
    <message>
        <source>打印结算单…</source>
        <translation>Print settlement sheet…</translation>
    </message>
    <message>
        <source>与{0} {1} 元一致，没有差额</source>
        <translation>Agrees with {0} of ¥{1}: no difference</translation>
    </message>
    <message>
        <source>与{0} {1} 元相差 {2}；已说明 {3}，未说明 {4}</source>
        <translation>Differs from {0} of ¥{1} by {2}; {3} explained, {4} unexplained</translation>
    </message>
    <message>
        <source>差额说明 {0}：{1}</source>
        <translation>Adjustment {0}: {1}</translation>
    </message>
    <message>
        <source>发票与{0}一致，没有差额：可以审批。</source>
        <translation>The invoice agrees with {0}; there is no difference: it can be approved.</translation>
    </message>
    <message numerus="yes">
        <source>已结清：%n 个基地已付清，共付 {0} 元。</source>
        <comment>bases paid, then the amount</comment>
        <translation>
            <numerusform>Settled: %n base paid, ¥{0} in all.</numerusform>
            <numerusform>Settled: %n bases paid, ¥{0} in all.</numerusform>
        </translation>
    </message>
    <message>
        <source>已结清：各基地都无需结算。</source>
        <translation>Settled: nothing is due to any base.</translation>
    </message>
    <message numerus="yes">
        <source>%n 个基地无需结算：{0}。</source>
        <comment>bases owed nothing, their names</comment>
        <translation>
            <numerusform>%n base owed nothing: {0}.</numerusform>
            <numerusform>%n bases owed nothing: {0}.</numerusform>
        </translation>
    </message>
    <message>
        <source>批次进行中或完成后，再登记基地的发票。计划费用共 {0} 元。</source>
        <translation>The bases&apos; invoices are entered once the batch is under way or completed. Planned cost: ¥{0}.</translation>
    </message>
    <message>
        <source>{0}（{1}）</source>
        <comment>a base and its settlement&apos;s state</comment>
        <translation>{0} ({1})</translation>
    </message>
    <message numerus="yes">
        <source>%n 个基地未结清：{0}。已开票未付 {1} 元。</source>
        <comment>bases not settled, their names</comment>
        <translation>
            <numerusform>%n base not settled: {0}. Invoiced and unpaid: ¥{1}.</numerusform>
            <numerusform>%n bases not settled: {0}. Invoiced and unpaid: ¥{1}.</numerusform>
        </translation>
    </message>
    <message>
        <source>{0}（导游、司机）</source>
        <translation>{0} (guide, driver)</translation>
    </message>
    <message>
        <source>{0}（无价格）</source>
        <translation>{0} (no price)</translation>
    </message>
    <message>
        <source>合计</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>差额说明：{0}</source>
        <translation>Adjustment: {0}</translation>
    </message>
    <message>
        <source>发票 {0}，{1}开（差额对{2}）</source>
        <translation>Invoice {0}, issued {1} (difference from {2})</translation>
    </message>
    <message>
        <source>请先选择一个批次。</source>
        <translation>Choose a batch first.</translation>
    </message>
    <message>
        <source>请先在列表中选择一个基地。</source>
        <translation>Choose a base in the list first.</translation>
    </message>
    <message>
        <source>正在读取，请稍候。</source>
        <translation>Reading, please wait.</translation>
    </message>
    <message>
        <source>批次状态为“{0}”：进行中或已完成的批次才能登记发票。</source>
        <translation>The batch is “{0}”: invoices are entered only for a batch that is under way or completed.</translation>
    </message>
    <message>
        <source>发票已付清，不能再修改。</source>
        <translation>The invoice is paid in full and can no longer be changed.</translation>
    </message>
    <message>
        <source>还没有登记这个基地的发票。</source>
        <translation>No invoice from this base has been entered yet.</translation>
    </message>
    <message>
        <source>发票已审批。</source>
        <translation>The invoice is approved.</translation>
    </message>
    <message>
        <source>发票已付清。</source>
        <translation>The invoice is paid in full.</translation>
    </message>
    <message>
        <source>批次完成后才能审批发票（要按实际发生的费用核对）。</source>
        <translation>An invoice can be approved once the batch is completed (it is checked against the actual cost).</translation>
    </message>
    <message>
        <source>{0}缺少价格，无法核对发票：请先在价目表中补上价格。</source>
        <translation>Prices are missing from {0}, so the invoice cannot be checked: add the prices to the rate card first.</translation>
    </message>
    <message>
        <source>还有 {0}差额没有说明：点“修改发票…”补充差额说明（金额和原因）。</source>
        <translation>{0} of the difference is unexplained: add adjustments (amount and reason) with “Edit invoice…”.</translation>
    </message>
    <message>
        <source>审批 {0} · {1} 的发票 {2}（{3} 元）？</source>
        <translation>Approve invoice {2} of {0} · {1} (¥{3})?</translation>
    </message>
    <message>
        <source>与{0}的差额 {1} 已全部说明。</source>
        <translation>Its difference of {1} from {0} is fully explained.</translation>
    </message>
    <message>
        <source>发票与{0}一致，没有差额。</source>
        <translation>It agrees with {0}: there is no difference.</translation>
    </message>
    <message>
        <source>发票还没有审批，审批后才能付款。</source>
        <translation>The invoice is not approved yet; it can be paid once approved.</translation>
    </message>
    <message>
        <source>这张发票没有扫描件：在“修改发票…”中选择扫描件。</source>
        <translation>This invoice has no scan: choose one in “Edit invoice…”.</translation>
    </message>
    <message>
        <source>发票已审批或已有付款，不能删除；请修改发票。</source>
        <translation>The invoice is approved or has payments, so it cannot be deleted; edit it instead.</translation>
    </message>
    <message>
        <source>修改发票…</source>
        <translation>Edit invoice…</translation>
    </message>
    <message>
        <source>{0}：发票 {1} 已保存</source>
        <translation>{0}: invoice {1} saved</translation>
    </message>
    <message>
        <source>审批发票</source>
        <translation>Approve invoice</translation>
    </message>
    <message>
        <source>{0}：发票 {1} 已审批</source>
        <translation>{0}: invoice {1} approved</translation>
    </message>
    <message>
        <source>不能审批</source>
        <translation>Cannot approve</translation>
    </message>
    <message>
        <source>{0}：付款 {1} 元已登记</source>
        <translation>{0}: payment of ¥{1} recorded</translation>
    </message>
    <message>
        <source>不能付款</source>
        <translation>Cannot pay</translation>
    </message>
    <message>
        <source>{0} {1} 结算单</source>
        <translation>{0} {1} settlement sheet</translation>
    </message>
    <message>
        <source>不能打印结算单</source>
        <translation>Cannot print the settlement sheet</translation>
    </message>
    <message>
        <source>不能打开扫描件</source>
        <translation>Cannot open the scan</translation>
    </message>
    <message>
        <source>发票 {0} 记录的扫描件 {1} 不在本程序的扫描件文件夹 {2} 中，为安全起见不打开。请在“修改发票…”中重新选择扫描件。</source>
        <translation>The scan {1} recorded for invoice {0} is not in the program&apos;s scans folder {2}, so it is not opened, to be safe. Choose the scan again with “Edit invoice…”.</translation>
    </message>
    <message>
        <source>发票 {0} 的扫描件 {1} 已不存在。请在“修改发票…”中重新选择扫描件。</source>
        <translation>The scan {1} of invoice {0} no longer exists. Choose the scan again with “Edit invoice…”.</translation>
    </message>
    <message>
        <source>删除 {0} · {1} 的发票 {2}（{3} 元）？审计日志会保留它的内容。</source>
        <translation>Delete invoice {2} of {0} · {1} (¥{3})? The audit log keeps what it said.</translation>
    </message>
    <message>
        <source>{0}：发票 {1} 已删除</source>
        <translation>{0}: invoice {1} deleted</translation>
    </message>
    <message>
        <source>不能删除</source>
        <translation>Cannot delete</translation>
    </message>
</context>
<context>
    <name>SpendingPanel</name>
    <message>
        <source>新建</source>
        <translation>New</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>如：浙江省·杭州市</source>
        <translation>e.g. Zhejiang · Hangzhou</translation>
    </message>
    <message>
        <source>添加规则</source>
        <translation>Add rule</translation>
    </message>
    <message>
        <source>删除所选规则</source>
        <translation>Delete selected rules</translation>
    </message>
    <message>
        <source>保存开支标准</source>
        <translation>Save spending rules</translation>
    </message>
    <message>
        <source>撤销修改</source>
        <translation>Undo changes</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>新的开支标准：填写名称和规则后保存。</source>
        <translation>New spending rules: enter a name and the rules, then save.</translation>
    </message>
    <message>
        <source>属于这一标准的合作单位：{0}</source>
        <translation>Partners under these rules: {0}</translation>
    </message>
    <message>
        <source>还没有合作单位属于这一标准（在“合作协议”页的合作单位中选择）。</source>
        <translation>No partner is under these rules yet (choose them for a partner on the Agreements page).</translation>
    </message>
    <message>
        <source>未保存的修改</source>
        <translation>Unsaved changes</translation>
    </message>
    <message>
        <source>开支标准“{0}”有未保存的修改。是否保存？</source>
        <translation>The spending rules “{0}” have unsaved changes. Save them?</translation>
    </message>
    <message>
        <source>不能保存开支标准</source>
        <translation>Cannot save the spending rules</translation>
    </message>
    <message>
        <source>第 {0} 条规则的“{1}”：{2}</source>
        <translation>Rule {0}, “{1}”: {2}</translation>
    </message>
    <message>
        <source>开支标准已保存：{0}</source>
        <translation>Spending rules saved: {0}</translation>
    </message>
    <message>
        <source>删除开支标准“{0}”及其 {1} 条规则吗？</source>
        <translation>Delete the spending rules “{0}” (rules: {1})?</translation>
    </message>
    <message>
        <source>删除开支标准</source>
        <translation>Delete spending rules</translation>
    </message>
    <message>
        <source>不能删除开支标准</source>
        <translation>Cannot delete the spending rules</translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <source>程序出错</source>
        <translation>Error</translation>
    </message>
    <message>
        <source>发生了意外错误：{0}

详细信息已写入日志：{1}
您的已保存数据不受影响。</source>
        <translation>An unexpected error occurred: {0}

The details are in the log: {1}
Your saved data is not affected.</translation>
    </message>
    <message>
        <source>无法打开数据库</source>
        <translation>Cannot open the database</translation>
    </message>
    <message>
        <source>选择其他数据库…</source>
        <translation>Choose another database…</translation>
    </message>
    <message>
        <source>恢复最近的备份</source>
        <translation>Restore the latest backup</translation>
    </message>
    <message>
        <source>重新输入密码…</source>
        <translation>Type the password again…</translation>
    </message>
    <message>
        <source>改用本机数据库文件</source>
        <translation>Use the database file on this computer</translation>
    </message>
    <message>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>选择数据库</source>
        <translation>Choose a database</translation>
    </message>
    <message>
        <source>数据库 (*.db);;所有文件 (*)</source>
        <translation>Databases (*.db);;All files (*)</translation>
    </message>
    <message>
        <source>登录服务器</source>
        <translation>Sign in to the server</translation>
    </message>
    <message>
        <source>{0} 的密码：</source>
        <translation>Password of {0}:</translation>
    </message>
    <message>
        <source>以后这台电脑将打开本机的数据库文件，而不是服务器上的数据（服务器上的数据不变）。以后可以在 设置 → 数据库 中重新选择服务器。确定吗？</source>
        <translation>From now on this computer will open its own database file instead of the data on the server (the server&apos;s data stays as it is). The server can be chosen again in Settings → Database. Go on?</translation>
    </message>
</context>
<context>
    <name>StatisticsPage</name>
    <message>
        <source>截止到</source>
        <translation>Until</translation>
    </message>
    <message>
        <source>统计</source>
        <translation>Statistics</translation>
    </message>
    <message>
        <source>全年</source>
        <translation>Whole year</translation>
    </message>
    <message>
        <source>第{0}季度</source>
        <translation>Quarter {0}</translation>
    </message>
    <message>
        <source>自定义起止…</source>
        <translation>From – to…</translation>
    </message>
    <message>
        <source>导出全部表格…</source>
        <translation>Export all tables…</translation>
    </message>
    <message>
        <source>年度统计报告（PDF）…</source>
        <translation>Annual report (PDF)…</translation>
    </message>
    <message>
        <source>年份</source>
        <translation>Year</translation>
    </message>
    <message>
        <source>主要数字</source>
        <translation>Main figures</translation>
    </message>
    <message>
        <source>疗休养批次</source>
        <translation>Recuperation batches</translation>
    </message>
    <message>
        <source>人次</source>
        <translation>People</translation>
    </message>
    <message>
        <source>人天</source>
        <translation>Person-days</translation>
    </message>
    <message>
        <source>培训班</source>
        <translation>Training classes</translation>
    </message>
    <message>
        <source>计划人次</source>
        <translation>Planned people</translation>
    </message>
    <message>
        <source>实到人次</source>
        <translation>Attended people</translation>
    </message>
    <message>
        <source>计划人天</source>
        <translation>Planned person-days</translation>
    </message>
    <message>
        <source>实到人天</source>
        <translation>Attended person-days</translation>
    </message>
    <message>
        <source>会议</source>
        <translation>Conferences</translation>
    </message>
    <message>
        <source>新签协议</source>
        <translation>Agreements signed</translation>
    </message>
    <message>
        <source>省级基地</source>
        <translation>Provincial bases</translation>
    </message>
    <message>
        <source>杭州市级基地</source>
        <translation>Hangzhou bases</translation>
    </message>
    <message>
        <source>人均费用（元）</source>
        <translation>Cost per person (yuan)</translation>
    </message>
    <message>
        <source>月份</source>
        <translation>Month</translation>
    </message>
    <message>
        <source>按月份与合作单位</source>
        <extracomment>the period&apos;s planned and attended figures of each base, by name (the base tab&apos;s last columns)</extracomment>
        <translation>By month and partner</translation>
    </message>
    <message>
        <source>按基地</source>
        <translation>By base</translation>
    </message>
    <message>
        <source>按线路</source>
        <translation>By route</translation>
    </message>
    <message>
        <source>按主题</source>
        <translation>By theme</translation>
    </message>
    <message>
        <source>按类型</source>
        <translation>By kind</translation>
    </message>
    <message>
        <source>按职工类别</source>
        <translation>By worker category</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>基地</source>
        <translation>Base</translation>
    </message>
    <message>
        <source>床位</source>
        <translation>Beds</translation>
    </message>
    <message>
        <source>已用床位·晚</source>
        <translation>Bed-nights used</translation>
    </message>
    <message>
        <source>可用床位·晚</source>
        <translation>Bed-nights available</translation>
    </message>
    <message>
        <source>利用率</source>
        <translation>Utilisation</translation>
    </message>
    <message>
        <source>已用 {0} / 可用 {1} 床位·晚</source>
        <translation>{0} of {1} bed-nights used</translation>
    </message>
    <message>
        <source>基地利用率</source>
        <translation>Base utilisation</translation>
    </message>
    <message>
        <source>协议编号</source>
        <translation>Agreement number</translation>
    </message>
    <message>
        <source>批次（已完成 / 配额）</source>
        <translation>Batches (done / quota)</translation>
    </message>
    <message>
        <source>人数（已完成 / 配额）</source>
        <translation>People (done / quota)</translation>
    </message>
    <message>
        <source>有效期至</source>
        <translation>Valid to</translation>
    </message>
    <message>
        <source>协议完成情况</source>
        <translation>Agreement fulfilment</translation>
    </message>
    <message>
        <source>费用</source>
        <translation>Costs</translation>
    </message>
    <message>
        <source>满意度</source>
        <translation>Satisfaction</translation>
    </message>
    <message>
        <source>图表</source>
        <translation>Charts</translation>
    </message>
    <message>
        <source>计划
人次</source>
        <translation>People
planned</translation>
    </message>
    <message>
        <source>实到
人次</source>
        <translation>People
came</translation>
    </message>
    <message>
        <source>人次
差额</source>
        <translation>People
short</translation>
    </message>
    <message>
        <source>计划
人天</source>
        <translation>Days
planned</translation>
    </message>
    <message>
        <source>实到
人天</source>
        <translation>Days
came</translation>
    </message>
    <message>
        <source>人天
差额</source>
        <translation>Days
short</translation>
    </message>
    <message>
        <source>计划：名单人数（没有名单时按计划人数）；人天 = 人数 × 批次天数。随行家属不计。</source>
        <translation>Planned: the people on the roster (the planned headcount where there is no roster); person-days (days) = people × the batch&apos;s days. Companions never count.</translation>
    </message>
    <message>
        <source>在此住宿过的批次整批计入：住过几个基地的批次，每个基地都计入它的全部人次和人天。</source>
        <translation>The batches that lodged here count in full: a batch at several bases counts all its people and person-days at each.</translation>
    </message>
    <message>
        <source>实到：已完成且已结束报到的疗休养批次按报到计（提前离开的计到离开当天，未到的不计）；其余批次按计划计。随行家属不计。</source>
        <translation>Attended: completed batches whose roll call is closed count who came (one who left early up to the day they left, a no-show not at all); other batches count as planned. Companions never count.</translation>
    </message>
    <message>
        <source>差额 = 计划 − 实到</source>
        <translation>Short = planned − attended</translation>
    </message>
    <message>
        <source>{0} 个批次均已结束报到</source>
        <translation>All {0} batches have closed their roll call</translation>
    </message>
    <message>
        <source>{0} 个批次中 {1} 个已结束报到，其余按计划计</source>
        <translation>{1} of {0} batches have closed their roll call; the others count as planned</translation>
    </message>
    <message>
        <source>住宿
人次</source>
        <translation>Lodged
people</translation>
    </message>
    <message>
        <source>住宿
人·晚</source>
        <translation>Lodged
nights</translation>
    </message>
    <message>
        <source>在此住宿的团员：每个批次取它在此住宿人数最多的一晚，随行家属不计</source>
        <translation>Members lodged here: each batch counts its most on one night here; companions never count</translation>
    </message>
    <message>
        <source>团员在此住宿的人·晚（床位·晚），随行家属不计</source>
        <translation>Members&apos; nights here (bed-nights); companions never count</translation>
    </message>
    <message>
        <source>已完成 {0}，不限配额</source>
        <translation>{0} done, no quota</translation>
    </message>
    <message>
        <source>已完成 {0} / 配额 {1}（{2}）</source>
        <translation>{0} of {1} done ({2})</translation>
    </message>
    <message>
        <source>导出统计表</source>
        <translation>Export statistics</translation>
    </message>
    <message>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbooks (*.xlsx)</translation>
    </message>
    <message>
        <source>统计表已导出到 {0}</source>
        <translation>Statistics exported to {0}</translation>
    </message>
    <message>
        <source>{0}年度职工疗休养工作统计</source>
        <translation>Worker recuperation in {0}: the year&apos;s figures</translation>
    </message>
    <message>
        <source>差额 {0}</source>
        <translation>Short by {0}</translation>
    </message>
    <message>
        <source>每月批次与人次</source>
        <translation>Batches and people per month</translation>
    </message>
    <message>
        <source>各主题人次</source>
        <translation>People by theme</translation>
    </message>
    <message>
        <source>基地床位利用率</source>
        <translation>Bed use by base</translation>
    </message>
    <message>
        <source>{0}年{1}月</source>
        <translation>{1}/{0}</translation>
    </message>
    <message>
        <source>{0}年第{1}季度</source>
        <translation>Q{1} {0}</translation>
    </message>
    <message>
        <source>{0}年</source>
        <translation>{0}</translation>
    </message>
    <message>
        <source>（截止到{0}）</source>
        <translation> (until {0})</translation>
    </message>
    <message>
        <source>按月份</source>
        <translation>By month</translation>
    </message>
    <message>
        <source>按合作单位</source>
        <translation>By partner</translation>
    </message>
    <message>
        <source>{0}（{1}）</source>
        <translation>{0} ({1})</translation>
    </message>
    <message>
        <source>{0}月</source>
        <translation>{0}</translation>
    </message>
    <message>
        <source>批次</source>
        <translation>Batches</translation>
    </message>
    <message>
        <source>合作单位</source>
        <translation>Partner</translation>
    </message>
</context>
<context>
    <name>UserDialog</name>
    <message>
        <source>添加同事</source>
        <translation>Add a colleague</translation>
    </message>
    <message>
        <source>修改 {0} 的角色</source>
        <translation>Change the roles of {0}</translation>
    </message>
    <message>
        <source>如 wangfang</source>
        <translation>e.g. wangfang</translation>
    </message>
    <message>
        <source>登录名</source>
        <translation>Login</translation>
    </message>
    <message>
        <source>角色</source>
        <translation>Roles</translation>
    </message>
    <message>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>再输一次</source>
        <translation>Repeat password</translation>
    </message>
    <message>
        <source>密码只在服务器用自己的认证方式（peer、ldap、证书）时才可以留空；用密码登录的服务器需要它（以后可用“设置密码…”设置），同事可以把它存进自己电脑上的 libpq 密码文件（pgpass）。密码在本机转换成 SCRAM 校验值后才发给服务器，服务器的日志里没有密码。</source>
        <translation>The password may be left empty only when the server signs people in by its own means (peer, ldap, certificates); a server that checks passwords needs one (it can be set later with “Set password…”), and the colleague may keep it in libpq&apos;s password file (pgpass) on their own computer. The password is turned into a SCRAM verifier on this computer before it is sent: the server&apos;s log never holds it.</translation>
    </message>
    <message>
        <source>去掉的角色服务器立即执行；{0} 的窗口在下次登录时显示新的角色。</source>
        <translation>The server enforces a role taken away at once; {0}&apos;s window shows the new roles at the next sign-in.</translation>
    </message>
    <message>
        <source>添加</source>
        <translation>Add</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>两次输入的密码不一样，请重新输入。</source>
        <translation>The two passwords differ; type them again.</translation>
    </message>
    <message>
        <source>已添加 {0}（{1}）</source>
        <translation>Added {0} ({1})</translation>
    </message>
    <message>
        <source>{0} 的角色改为 {1}</source>
        <translation>{0} now holds the roles {1}</translation>
    </message>
</context>
<context>
    <name>UsersPanel</name>
    <message>
        <source>权限</source>
        <translation>Right</translation>
    </message>
    <message>
        <source>服务器上可写的表</source>
        <translation>Tables written on the server</translation>
    </message>
    <message>
        <source>只读</source>
        <translation>Read only</translation>
    </message>
    <message>
        <source>各角色的权限（程序的默认设置）</source>
        <translation>Rights of each role (the program&apos;s defaults)</translation>
    </message>
    <message>
        <source>可以登录</source>
        <translation>Can sign in</translation>
    </message>
    <message>
        <source>已停用</source>
        <translation>Disabled</translation>
    </message>
    <message>
        <source>登录名</source>
        <translation>Login</translation>
    </message>
    <message>
        <source>角色</source>
        <translation>Roles</translation>
    </message>
    <message>
        <source>添加同事…</source>
        <translation>Add a colleague…</translation>
    </message>
    <message>
        <source>修改角色…</source>
        <translation>Change roles…</translation>
    </message>
    <message>
        <source>停用</source>
        <translation>Disable</translation>
    </message>
    <message>
        <source>设置密码…</source>
        <translation>Set password…</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>这个数据库的用户</source>
        <translation>Users of this database</translation>
    </message>
    <message>
        <source>打开程序的 PIN</source>
        <translation>PIN to open the program</translation>
    </message>
    <message>
        <source>设置 PIN…</source>
        <translation>Set PIN…</translation>
    </message>
    <message>
        <source>更改 PIN…</source>
        <translation>Change PIN…</translation>
    </message>
    <message>
        <source>取消 PIN…</source>
        <translation>Remove PIN…</translation>
    </message>
    <message>
        <source>PIN 只能防止别人在这台电脑上打开程序、查看完整证件号；能复制这个数据库文件的人不用本程序也能读出其中的全部数据。请加密这台电脑的磁盘（Windows 的 BitLocker、macOS 的 FileVault、Linux 的 LUKS），或加密数据文件夹 {0}。</source>
        <translation>A PIN only keeps others from opening the program and seeing full ID numbers on this computer; whoever can copy this database file reads all its data without this program. Encrypt this computer&apos;s disk (BitLocker on Windows, FileVault on macOS, LUKS on Linux) or the data folder {0}.</translation>
    </message>
    <message>
        <source>{0}：{1}</source>
        <translation>{0}: {1}</translation>
    </message>
    <message>
        <source>已登录：{0}。服务器按下表执行每个角色的权限：修改哪些表由服务器的授权决定，确认批次、批准发票等审批由服务器检查，审计日志记下服务器上的登录名，完整证件号只能经服务器检查权限并记入审计日志后读取。程序不提供您没有权限的操作。</source>
        <translation>Signed in: {0}. The server enforces each role&apos;s rights as in the table below: its grants decide which tables may be changed, it checks approvals such as confirming a batch or approving an invoice, the audit log records the login on the server, and full ID numbers can be read only after the server has checked the right and written the audit entry. The program does not offer what you may not do.</translation>
    </message>
    <message>
        <source>{0} 是这个数据库的所有者（运行迁移的服务器角色）或服务器的超级用户，拥有全部权限。</source>
        <translation>{0} owns this database (the server role that ran the migrations) or is the server&apos;s superuser, and holds every right.</translation>
    </message>
    <message>
        <source>这是本机的数据库文件：这台电脑的用户 {0} 拥有全部权限，不用登录。角色用于多人共用的 PostgreSQL 服务器（上面“数据库”中的“使用数据库服务器…”）：在服务器上，每位同事用自己的登录名登录，服务器按下表执行每个角色的权限。</source>
        <translation>This is a database file on this computer: its user {0} holds every right and does not sign in. Roles are for a PostgreSQL server the office shares (“Use a database server…” under “Database” above): there each colleague signs in with their own login and the server enforces each role&apos;s rights as the table below shows.</translation>
    </message>
    <message>
        <source>停用的同事不能再登录，其角色和审计日志中的记录保留。去掉的角色服务器立即执行；同事的窗口在下次登录时显示新的角色。</source>
        <translation>A disabled colleague can no longer sign in; their roles and their entries in the audit log stay. The server enforces a role taken away at once; the colleague&apos;s window shows the new roles at the next sign-in.</translation>
    </message>
    <message>
        <source>已设置 PIN：打开程序，以及显示、打印或导出完整证件号时需要输入。</source>
        <translation>A PIN is set: it is asked for when the program opens and when full ID numbers are shown, printed or exported.</translation>
    </message>
    <message>
        <source>没有设置 PIN：打开程序不需要输入 PIN。</source>
        <translation>No PIN is set: the program opens without one.</translation>
    </message>
    <message>
        <source>不能停用自己：请让另一位管理员来做。</source>
        <translation>You cannot disable yourself: ask another administrator.</translation>
    </message>
    <message>
        <source>启用</source>
        <translation>Enable</translation>
    </message>
    <message>
        <source>停用 {0} 吗？停用后 {0} 不能再登录；其角色和审计日志中的记录保留，以后可以再启用。</source>
        <translation>Disable {0}? {0} can then no longer sign in; their roles and their entries in the audit log stay, and they can be enabled again later.</translation>
    </message>
    <message>
        <source>停用同事</source>
        <translation>Disable a colleague</translation>
    </message>
    <message>
        <source>{0} 可以登录了</source>
        <translation>{0} can sign in now</translation>
    </message>
    <message>
        <source>{0} 已停用</source>
        <translation>{0} disabled</translation>
    </message>
    <message>
        <source>不能启用</source>
        <translation>Cannot enable</translation>
    </message>
    <message>
        <source>不能停用</source>
        <translation>Cannot disable</translation>
    </message>
    <message>
        <source>设置 {0} 的密码</source>
        <translation>Set the password of {0}</translation>
    </message>
    <message>
        <source>新密码：</source>
        <translation>New password:</translation>
    </message>
    <message>
        <source>再输一次：</source>
        <translation>Repeat password:</translation>
    </message>
    <message>
        <source>两次输入的密码不同，密码没有改变。</source>
        <translation>The two passwords differ; the password was not changed.</translation>
    </message>
    <message>
        <source>{0} 的密码已更新</source>
        <translation>The password of {0} is changed</translation>
    </message>
    <message>
        <source>不能设置密码</source>
        <translation>Cannot set the password</translation>
    </message>
    <message>
        <source>取消 PIN</source>
        <translation>Remove PIN</translation>
    </message>
    <message>
        <source>输入当前的 PIN。取消后，打开程序和显示完整证件号都不再需要 PIN。</source>
        <translation>Enter the current PIN. Once it is removed, neither opening the program nor showing full ID numbers needs a PIN.</translation>
    </message>
    <message>
        <source>保留 PIN</source>
        <translation>Keep PIN</translation>
    </message>
    <message>
        <source>PIN 已取消</source>
        <translation>PIN removed</translation>
    </message>
    <message>
        <source>不能取消 PIN</source>
        <translation>Cannot remove the PIN</translation>
    </message>
</context>
<context>
    <name>WaitingView</name>
    <message>
        <source>顺序</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <source>登记日期</source>
        <translation>Added on</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Employer</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>加入候补…</source>
        <translation>Add to waiting list…</translation>
    </message>
    <message>
        <source>递补到名单…</source>
        <translation>Place on the roster…</translation>
    </message>
    <message>
        <source>退出候补…</source>
        <translation>Leave waiting list…</translation>
    </message>
    <message>
        <source>候补 {0} 人</source>
        <translation>Waiting: {0}</translation>
    </message>
    <message>
        <source>无法读取候补名单</source>
        <translation>Cannot read the waiting list</translation>
    </message>
    <message>
        <source>加入候补：{0}</source>
        <translation>Waiting list: {0}</translation>
    </message>
    <message>
        <source>加入候补</source>
        <translation>Add to waiting list</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>{0} 已加入候补（第 {1} 位）</source>
        <translation>{0} is on the waiting list (place {1})</translation>
    </message>
    <message>
        <source>不能加入候补</source>
        <translation>Cannot add to the waiting list</translation>
    </message>
    <message>
        <source>跳过候补顺序</source>
        <translation>Pass over the waiting order</translation>
    </message>
    <message>
        <source>{0} 排在第 {1} 位，前面还有 {2} 等 {3} 人。跳过他们的原因（记入名单历史）：</source>
        <translation>{0} is number {1}; {2} and others ({3} in all) wait ahead. Why are they passed over (kept in the roster history)?</translation>
    </message>
    <message>
        <source>递补</source>
        <translation>Place</translation>
    </message>
    <message>
        <source>不能递补</source>
        <translation>Cannot place</translation>
    </message>
    <message>
        <source>跳过排在前面的人需要填写原因。</source>
        <translation>Passing over those ahead needs a reason.</translation>
    </message>
    <message>
        <source>名单中选中了 {0}。让 {1} 替换 {0} 吗？
选“否”则 {1} 加入名单，{0} 留在名单中。</source>
        <translation>{0} is selected on the roster. Should {1} take the place of {0}?
No: {1} joins the roster and {0} stays.</translation>
    </message>
    <message>
        <source>{0} 已从候补递补到名单</source>
        <translation>{0} placed on the roster from the waiting list</translation>
    </message>
    <message>
        <source>提醒</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>退出候补</source>
        <translation>Leave waiting list</translation>
    </message>
    <message>
        <source>{0} 退出候补的原因（记入名单历史）：</source>
        <translation>Why does {0} leave the waiting list (kept in the roster history)?</translation>
    </message>
    <message>
        <source>不能退出候补</source>
        <translation>Cannot leave the waiting list</translation>
    </message>
</context>
</TS>
