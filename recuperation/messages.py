"""User-facing messages of the core, in Simplified Chinese first and English on request.

The core never imports Qt, so it cannot use ``tr()``.  Messages that the core produces (domain errors,
command-line output) are kept here as a small catalogue keyed by an identifier; the UI and the CLI both
render them through :func:`text`, so a rule that fires reads the same on the screen and in a terminal.
"""

from __future__ import annotations

import datetime as dt
import re
import string

_LANGUAGE = "zh"

# key: (Chinese, English).  Parameters are str.format fields.
CATALOGUE: dict[str, tuple[str, str]] = {
    # database
    "db.not_sqlite": (
        "{path} 不是 SQLite 数据库文件，无法打开。请检查路径，或从备份恢复。",
        "{path} is not an SQLite database file and cannot be opened. Check the path or restore a backup.",
    ),
    "db.missing": (
        "数据库文件 {path} 不存在。请检查 --db 参数，或先运行 recuperation --db {path} demo 创建。",
        "The database file {path} does not exist. Check --db, or create it first with "
        "recuperation --db {path} demo.",
    ),
    "db.not_ours": (
        "{path} 里已有别的数据，但不是本程序的数据库（缺少表 {table}），为免损坏，拒绝使用。",
        "{path} holds other data but is not a database of this program (table {table} is missing); "
        "it is not used so that nothing is damaged.",
    ),
    "db.newer_schema": (
        "数据库 {path} 的结构版本 {revision} 比本程序（{version}）新，为免损坏数据，拒绝打开。请升级程序。",
        "The database {path} has schema revision {revision}, newer than this program ({version}) knows; "
        "it is not opened so that it is not damaged. Please upgrade the program.",
    ),
    "db.cannot_open": (
        "无法打开数据库 {path}：{reason}",
        "Cannot open the database {path}: {reason}",
    ),
    "check.integrity": (
        "数据库文件的完整性检查发现 {count} 处问题，例如：{detail}。请从备份恢复（设置 → 从备份恢复…，"
        "或 recuperation restore）。",
        "The database file's integrity check found problems ({count} lines), for example: {detail}. Restore "
        "a backup (Settings → Restore from backup…, or recuperation restore).",
    ),
    "check.foreign_key": (
        "{table} 表的第 {row} 行指向 {parent} 表中不存在的记录。",
        "Row {row} of the table {table} refers to a record of {parent} that does not exist.",
    ),
    "db.integrity": (
        "数据库完整性检查失败：{detail}。为免损坏扩大，没有打开它；请从备份恢复。",
        "The database failed its integrity check: {detail}. It was not opened so the damage does not spread; "
        "restore a backup.",
    ),
    "db.damaged": (
        "数据库 {path} 已损坏（{detail}）。为免损坏扩大，不会再向它写入任何修改；没有损坏的数据仍可查看和导出。"
        "请从备份恢复：设置 → 从备份恢复…，或 recuperation --db {path} restore 备份文件。",
        "The database {path} is damaged ({detail}). So that the damage does not spread, nothing more is "
        "written to it; what is not damaged can still be viewed and exported. Restore a backup: Settings → "
        "Restore from backup…, or recuperation --db {path} restore BACKUP.",
    ),
    "db.integrity_found": (
        "启动后在后台进行的完整性检查发现数据库 {path} 已损坏：{detail}。为免损坏扩大，此后的修改都不会保存；"
        "已有的数据仍可查看和导出。请尽快从备份恢复（设置 → 从备份恢复…）。",
        "The integrity check run in the background after start found the database {path} damaged: {detail}. "
        "So that the damage does not spread, no change will be saved from now on; its data can still be viewed "
        "and exported. Restore a backup soon (Settings → Restore from backup…).",
    ),
    "db.backup_copy_damaged": (
        "备份 {path} 没有通过完整性检查（{detail}），已删除：数据库本身可能已损坏。请运行 recuperation check，"
        "需要时从较早的备份恢复。",
        "The backup {path} failed its integrity check ({detail}) and was removed: the database itself may be "
        "damaged. Run recuperation check, and restore an earlier backup if need be.",
    ),
    "db.empty_file": (
        "数据库文件 {path} 是空的（0 字节），没有任何数据。请检查 --db 参数；若它原来有数据，请从备份恢复。",
        "The database file {path} is empty (0 bytes) and holds no data. Check --db; if it held data, restore "
        "a backup.",
    ),
    "db.memory": (
        "“{url}”是内存中的数据库，关闭后什么也不会留下。请用 --db 指定一个文件或服务器。",
        "“{url}” is a database in memory, which keeps nothing once closed. Give a file or a server with --db.",
    ),
    "db.backup_damaged": (
        "自动备份 {path} 没有通过完整性检查（{detail}），已删除，不作为可用的备份；较早的备份都保留着。"
        "数据库本身可能已损坏：请运行 recuperation check，需要时从较早的备份恢复。",
        "The automatic backup {path} failed its integrity check ({detail}); it was removed and is not kept as "
        "a good backup, and every earlier backup was kept. The database itself may be damaged: run "
        "recuperation check and, if need be, restore an earlier backup.",
    ),
    # what the check at open found wrong (the {detail} of db.integrity)
    "db.damage.short": (
        "文件只有 {size} 字节，不足文件头所需的 {needed} 字节",
        "the file has only {size} bytes, fewer than the {needed} its header needs",
    ),
    "db.damage.short_pages": (
        "文件比文件头记录的短：{pages} 页、每页 {page_size} 字节，需要 {needed} 字节，文件只有 {size} 字节",
        "the file is shorter than its header says: it counts {pages:page|pages} of {page_size} bytes "
        "({needed} bytes), the file has {size}",
    ),
    "db.damage.page_size": (
        "文件头记录的页大小 {value} 不是 512 到 65536 之间的 2 的幂",
        "the page size in its header, {value}, is not a power of two from 512 to 65536",
    ),
    "db.damage.header_byte": (
        "文件头第 {offset} 字节的值是 {value}，应为 {expected}",
        "byte {offset} of its header holds {value} where {expected} belongs",
    ),
    "db.damage.free_pages": (
        "空闲页数 {free} 超过了全部页数 {pages}",
        "it counts {free} free pages, more than its {pages:page|pages} in all",
    ),
    "db.damage.root_page": (
        "{name} 的根页 {page} 不在文件的 {pages} 页之内",
        "the root page {page} of {name} lies outside the file's {pages:page|pages}",
    ),
    "db.backup_unsupported": (
        "只有 SQLite 数据库文件可以这样备份（当前：{url}）。服务器上的数据库由服务器备份（pg_dump），"
        "或用 recuperation --db 服务器 copy-to 文件.db 复制成一个文件。",
        "Only SQLite database files can be backed up this way (this one is {url}). A server database is "
        "backed up on the server (pg_dump), or copied into a file with recuperation --db SERVER copy-to FILE.db.",
    ),
    "db.probe_file": (
        "{path} 是本机文件，不需要测试连接。",
        "{path} is a file on this computer; there is no connection to test.",
    ),
    "db.probe_state.empty": (
        "空数据库，第一次使用时会建立表结构。",
        "An empty database; the tables are made at first use.",
    ),
    "db.probe_state.current": (
        "本程序的数据库，结构为最新（{batches} 个批次）。",
        "A database of this program, at the current schema ({batches:batch|batches}).",
    ),
    "db.probe_state.older": (
        "本程序的旧版数据库（{batches} 个批次），使用时会升级结构。",
        "A database of an older version of this program ({batches:batch|batches}); it is upgraded when used.",
    ),
    "db.probe_state.newer": (
        "数据库由更新版本的程序建立，本程序不能使用，请升级程序。",
        "The database was made by a newer version of the program; upgrade this program to use it.",
    ),
    "db.probe_state.not_ours": (
        "数据库里已有别的表，不是本程序的数据库，不能使用。",
        "The database holds other tables and is not one of this program; it cannot be used.",
    ),
    "transfer.same": (
        "源数据库和目标数据库是同一个：{path}。",
        "The source and the target are the same database: {path}.",
    ),
    "transfer.not_empty": (
        "目标数据库 {path} 已有数据（{tables}），为免混入或覆盖，拒绝复制。请换一个空数据库。",
        "The target database {path} already holds data ({tables}); nothing was copied so that nothing is mixed "
        "or overwritten. Use an empty database.",
    ),
    "transfer.mismatch": (
        "复制到 {path} 后核对不一致（{tables}），已全部撤销，目标数据库保持为空。",
        "After copying into {path} the tables {tables} did not verify; everything was undone and the target is "
        "empty again.",
    ),
    "transfer.done": (
        "已复制 {rows} 行到 {path}，{tables} 张表的行数和校验和全部一致（{seconds:.1f} 秒）。源数据库未改动。",
        "Copied {rows:row|rows} into {path}; the counts and checksums of the {tables:table|tables} agree "
        "({seconds:.1f} s). The source was not changed.",
    ),
    "db.backup_done": ("已备份到 {path}（{size} 字节）。", "Backed up to {path} ({size} bytes)."),
    "db.restore_missing": ("备份文件 {path} 不存在。", "The backup file {path} does not exist."),
    "db.restore_done": (
        "已从 {path} 恢复（{taken}）：{batches} 个批次，{participants} 名团员，{partners} 个合作单位。{saved}",
        "Restored from {path} ({taken}): {batches:batch|batches}, {participants:participant|participants}, "
        "{partners:partner|partners}. {saved}",
    ),
    "db.restore_taken.records": ("备份中最新的记录写于 {date}", "its newest record was written on {date}"),
    "db.restore_taken.file": (
        "备份中没有带时间的记录，文件修改于 {date}",
        "it holds no dated record; the file was last modified on {date}",
    ),
    "db.restore_saved": ("原数据库已另存为 {saved}。", "The replaced database was kept as {saved}."),
    "db.restore_saved_damaged": (
        "原数据库有问题（{detail}），已原样另存为 {saved}。",
        "The replaced database had problems ({detail}); it was kept as it was in {saved}.",
    ),
    "db.restore_saved_none": (
        "此前没有数据库，无需另存。",
        "There was no database before, so nothing was kept.",
    ),
    "db.restore_migrated": (
        "备份来自旧版本（结构版本 {revision}），已在恢复前升级到当前结构。",
        "The backup came from an older version (schema revision {revision}) and was upgraded before it was "
        "restored. ",
    ),
    "db.restore_same": (
        "备份文件与当前数据库是同一个文件：{path}。",
        "The backup file is the database itself: {path}.",
    ),
    "db.restore_not_sqlite": (
        "{path} 不是 SQLite 数据库文件，没有恢复；当前数据库没有改动。",
        "{path} is not an SQLite database file; nothing was restored and the current database was not changed.",
    ),
    "db.restore_not_ours": (
        "{path} 不是本程序的数据库（缺少结构版本表 alembic_version），没有恢复；当前数据库没有改动。",
        "{path} is not a database of this program (it has no alembic_version table); nothing was restored and "
        "the current database was not changed.",
    ),
    "db.restore_newer": (
        "备份 {path} 的结构版本 {revision} 比本程序（{version}）新，没有恢复；当前数据库没有改动。请升级程序。",
        "The backup {path} has schema revision {revision}, newer than this program ({version}) knows; nothing "
        "was restored and the current database was not changed. Upgrade the program.",
    ),
    "db.restore_damaged": (
        "备份 {path} 已损坏（{detail}），没有恢复；当前数据库没有改动。请换一个备份。",
        "The backup {path} is damaged ({detail}); nothing was restored and the current database was not "
        "changed. Choose another backup.",
    ),
    "db.restore_foreign_keys": (
        "备份 {path} 中有 {count} 条记录指向不存在的记录（例如 {example}），没有恢复；当前数据库没有改动。"
        "请换一个备份。",
        "In the backup {path}, {count:record points|records point} to records that do not exist (for example {example}); "
        "nothing was restored and the current database was not changed. Choose another backup.",
    ),
    "db.restore_fk_detail": (
        "{count} 条记录指向不存在的记录，例如 {example}",
        "{count:record points|records point} to records that do not exist, for example {example}",
    ),
    "db.restore_schema": (
        "备份 {path} 缺少{missing}（它的结构版本 {revision} 应当有），没有恢复；当前数据库没有改动。"
        "请换一个备份。",
        "The backup {path} lacks {missing}, which its schema revision {revision} should have; nothing was "
        "restored and the current database was not changed. Choose another backup.",
    ),
    "db.restore_schema_changed": (
        "{path} 的表结构被改动过，与本程序的不同（{detail}），没有恢复，当前数据库没有任何改变。",
        "The schema of {path} was changed and differs from this program's ({detail}); nothing was restored "
        "and the current database was not changed.",
    ),
    "db.restore_stray.table": (
        "表 {name} 的外键、唯一、非空或检查约束不同",
        "the constraints of table {name}",
    ),
    "db.restore_stray.object": ("多出的 {name}", "an extra {name}"),
    "db.restore_unreadable_detail": (
        "表 {table} 有读不出的值：{detail}",
        "table {table} holds a value that cannot be read: {detail}",
    ),
    "db.restore_gap.table": ("表 {name}", "the table {name}"),
    "db.restore_gap.column": ("列 {name}", "the column {name}"),
    "db.restore_unreadable": (
        "备份 {path} 的表 {table} 读不出来（{detail}），没有恢复；当前数据库没有改动。请换一个备份。",
        "The table {table} of the backup {path} cannot be read ({detail}); nothing was restored and the "
        "current database was not changed. Choose another backup.",
    ),
    "db.restore_migration": (
        "备份 {path} 来自旧版本（结构版本 {revision}），升级到当前结构时失败（{detail}），没有恢复；"
        "当前数据库没有改动。",
        "The backup {path} is from an older version (schema revision {revision}) and could not be upgraded "
        "to the current schema ({detail}); nothing was restored and the current database was not changed.",
    ),
    "db.restore_unreadable_file": (
        "无法读取备份文件 {path}：{reason}。没有恢复；当前数据库没有改动。",
        "The backup file {path} cannot be read: {reason}. Nothing was restored and the current database was "
        "not changed.",
    ),
    "db.restore_unstable": (
        "读取备份 {path} 时它一直在变（另一个程序正在写入它？），没有恢复；当前数据库没有改动。请等它写完再试。",
        "The backup {path} kept changing while it was read (is another program writing it?); nothing was "
        "restored and the current database was not changed. Try again when it is complete.",
    ),
    "db.restore_failed": (
        "从 {path} 恢复没有完成（{detail}）；当前数据库没有改动。",
        "The restore from {path} did not complete ({detail}); the current database was not changed.",
    ),
    "db.part_in_use": (
        "另一个备份或恢复正在写入 {path}，请等它完成后再试。",
        "Another backup or restore is writing {path}; try again when it has finished.",
    ),
    "db.not_sqlite_detail": ("不是 SQLite 数据库文件", "not an SQLite database file"),
    # faults of the file: named as what they are, never as damage
    "db.busy": (
        "另一个工作台或程序正在写入数据库 {path}，已等待 {seconds} 秒仍未轮到。没有写入任何内容；请稍后再试。",
        "Another desk or program is writing to the database {path}; waited {seconds} s for it. Nothing was "
        "written; try again in a moment.",
    ),
    "db.read_only": (
        "数据库 {path} 是只读的（{where}）。本程序要写入它和它旁边的 -wal、-shm 文件，所以不能使用它；"
        "这不是数据库损坏。请把它复制到可以写入的文件夹后再打开，或取消只读。",
        "The database {path} is read-only ({where}). The program writes to it and to the -wal and -shm files "
        "beside it, so it cannot use it; this is not damage to the database. Copy it to a folder you can write "
        "to and open the copy, or make it writable.",
    ),
    "db.read_only.medium": (
        "它所在的磁盘、U 盘或光盘是只读的或写保护的",
        "it is on a read-only or write-protected disk, stick or mount",
    ),
    "db.read_only.file": ("文件本身被设为只读", "the file itself is read-only"),
    "db.read_only.folder": ("它所在的文件夹不允许写入", "its folder cannot be written to"),
    "db.read_only.unknown": ("SQLite 报告它只能读取", "SQLite reports that it can only be read"),
    "db.disk_full": (
        "{path} 所在的磁盘已满（{detail}）。这不是数据库损坏，但腾出空间之前无法继续；正在写入的内容没有保留。"
        "请删除或移走一些文件后再试。",
        "The disk holding {path} is full ({detail}). This is not damage to the database, but nothing can go "
        "on until there is space; what was being written was not kept. Free some space and try again.",
    ),
    "db.file_limit": (
        "写入 {path} 时文件超出了允许的大小（{detail}）。这不是数据库损坏；正在写入的内容没有保留。"
        "请把它放到允许更大文件的磁盘上，或取消这个限制后再试。",
        "Writing {path} went over the largest file size allowed ({detail}). This is not damage to the "
        "database; what was being written was not kept. Use a disk that allows larger files, or lift the "
        "limit, and try again.",
    ),
    "db.file_limit.ulimit": (
        "本程序的文件大小上限为 {limit} 字节（ulimit -f）",
        "this program may write files of at most {limit} bytes (ulimit -f)",
    ),
    "db.missing_dry_run": (
        "数据库文件 {path} 不存在。--dry-run 只检查、不写入，所以没有新建它。请检查 --db 参数；"
        "要搬入数据时去掉 --dry-run，导入会新建数据库。",
        "The database file {path} does not exist. A --dry-run only checks and writes nothing, so it was not "
        "created. Check --db; to move data in, run the import without --dry-run, which creates the database.",
    ),
    # generic record errors
    "record.not_found": ("找不到{kind}“{key}”。", "{kind} “{key}” was not found."),
    "record.stale": (
        "{kind}“{name}”已被 {user} 于 {at} 修改（版本 {current}，您编辑的是版本 {expected}）。请重新载入后再修改。",
        "{kind} “{name}” was changed by {user} at {at} (version {current}; you edited version {expected}). "
        "Reload it and make your change again.",
    ),
    "record.duplicate": (
        "{kind}的{label}“{value}”已存在，请换一个。",
        "The {kind} {label} “{value}” already exists; choose another.",
    ),
    "list.labelled": ("{label}：{items}", "{label}: {items}"),
    "depends.batch": ("{count} 个批次", "{count:batch|batches}"),
    "depends.agreement": ("{count} 个合作协议", "{count:agreement|agreements}"),
    "depends.lodging": ("{count} 个住宿安排", "{count:night of lodging|nights of lodging}"),
    "depends.route_item": ("{count} 个线路日程", "{count:item of a route plan|items of route plans}"),
    "depends.batch_item": ("{count} 个批次日程", "{count:item of an itinerary|items of itineraries}"),
    "depends.certification": ("{count} 个认定记录", "{count:certification step|certification steps}"),
    "depends.rate_card": ("{count} 份价目表", "{count:rate card|rate cards}"),
    "depends.service_order": ("{count} 份接待预订单", "{count:service order|service orders}"),
    "depends.base_invoice": ("{count} 张结算发票", "{count:invoice|invoices}"),
    "depends.inspection": ("{count} 次实地考察", "{count:inspection|inspections}"),
    "depends.incident": ("{count} 个事件", "{count:incident|incidents}"),
    "depends.feedback_rating": ("{count} 条满意度评分", "{count:questionnaire rating|questionnaire ratings}"),
    "record.in_use": (
        "{kind}“{name}”仍被 {what} 使用，不能删除；可改为归档。",
        "{kind} “{name}” is still used by {what} and cannot be deleted; archive it instead.",
    ),
    "record.in_use_no_archive": (
        "{kind}“{name}”仍被 {what} 使用，不能删除：先让它们不再使用它。",
        "{kind} “{name}” is still used by {what} and cannot be deleted: first make them use something else.",
    ),
    "field.required": ("{kind}：{label}为必填项。", "{kind}: {label} is required."),
    "field.too_long": (
        "{kind}：{label}最多 {max} 个字符（现有 {length} 个）。",
        "{kind}: {label} allows at most {max} characters (it has {length}).",
    ),
    "field.too_large": (
        "{kind}：{label}“{value}”太大（最多 {max}），请核对。",
        "{kind}: {label} “{value}” is too large (at most {max}); check it.",
    ),
    "field.negative": (
        "{kind}：{label}不能为负数（{value}）。",
        "{kind}: {label} cannot be negative ({value}).",
    ),
    "field.control_chars": (
        "{kind}：{label}含有不可见的控制字符（{char}），请删除。",
        "{kind}: {label} contains an invisible control character ({char}); remove it.",
    ),
    "field.bad_code": (
        "{kind}：{label}“{value}”含有不允许的字符 {char}；{label}只能由{allowed}组成，最多 {max} 个字符。",
        "{kind}: the {label} “{value}” contains {char}, which is not allowed; a {label} is made of {allowed}, "
        "at most {max} characters.",
    ),
    "field.allowed.code": (
        "汉字、字母、数字、“-”和“_”（以汉字、字母或数字开头）",
        "letters (Chinese included), digits, “-” and “_” (starting with a letter or digit)",
    ),
    "field.allowed.number": (
        "汉字、字母、数字、空格和 - _ / ( ) （ ） 〔 〕 [ ] 【 】（以汉字、字母、数字或左括号开头）",
        "letters (Chinese included), digits, spaces and - _ / ( ) （ ） 〔 〕 [ ] 【 】 (starting with a letter, "
        "a digit or an opening bracket)",
    ),
    "field.char_space": ("空格", "a space"),
    "name.numeric": (
        "姓名不能是数字（“{value}”）；如果该单元格是公式，请改为直接填写姓名。",
        "The name cannot be a number (“{value}”); if the cell is a formula, type the name itself.",
    ),
    "file.outside_folder": (
        "文件名“{name}”会写到文件夹 {folder} 之外，已拒绝。",
        "The file name “{name}” would be written outside the folder {folder}; refused.",
    ),
    "field.bad_choice": (
        "{kind}：{label}“{value}”不是可选值（可选：{choices}）。",
        "{kind}: {label} “{value}” is not one of the choices ({choices}).",
    ),
    "uscc.invalid": (
        "{partner}：统一社会信用代码“{value}”无效（{reason}），请核对 18 位代码。",
        "{partner}: the unified social credit code “{value}” is invalid ({reason}); check the 18 characters.",
    ),
    "partner.named": ("合作单位“{name}”", "Partner “{name}”"),
    "partner.unnamed": ("新合作单位", "New partner"),
    "phone.invalid": (
        "{kind}“{name}”：电话“{value}”无效，请填写 11 位手机号或带区号的固定电话。",
        "{kind} “{name}”: the phone “{value}” is invalid; enter an 11-digit mobile or a landline with area code.",
    ),
    "phone.invalid_field": (
        "电话“{value}”无效，请填写 11 位手机号或带区号的固定电话。",
        "The phone “{value}” is invalid; enter an 11-digit mobile or a landline with area code.",
    ),
    "agreement.term": (
        "协议 {number}：终止日期 {end} 早于起始日期 {start}。",
        "Agreement {number}: the end date {end} is before the start date {start}.",
    ),
    # ID numbers
    "id.empty": ("身份证号为空。", "The ID number is empty."),
    "id.length": (
        "身份证号“{value}”应为 18 位，现为 {length} 位。",
        "The ID number “{value}” should have 18 characters; it has {length}.",
    ),
    "id.format": (
        "身份证号“{value}”格式不对：前 17 位应为数字，最后一位为数字或 X。",
        "The ID number “{value}” is malformed: 17 digits then a digit or X.",
    ),
    "id.excel_number": (
        "身份证号“{value}”被 Excel 存成了数字，末几位已丢失；请把该列设为文本后重新填写。",
        "The ID number “{value}” was stored by Excel as a number and lost its last digits; "
        "format the column as text and enter it again.",
    ),
    "id.birth": (
        "身份证号“{value}”中的出生日期 {digits} 不是有效日期。",
        "The ID number “{value}” holds the birth date {digits}, which is not a real date.",
    ),
    "id.future_birth": (
        "身份证号“{value}”中的出生日期 {birth} 在今天之后。",
        "The ID number “{value}” gives a birth date {birth} after today.",
    ),
    "id.early_birth": (
        "身份证号“{value}”中的出生日期 {birth} 早于 1900 年，身份证号有误，请核对。",
        "The ID number “{value}” gives a birth date {birth} before 1900; the ID number is wrong, check it.",
    ),
    "id.checksum": (
        "身份证号“{value}”校验位错误（应为 {expected}），请核对。",
        "The ID number “{value}” has a wrong check character (expected {expected}); check it.",
    ),
    "id.checksum_unsaid": (
        "身份证号“{value}”校验位错误，请核对。",
        "The ID number “{value}” has a wrong check character; check it.",
    ),
    "id.region": (
        "身份证号“{value}”的地区码 {region} 不在任何年份的行政区划代码表中，请核对。",
        "The ID number “{value}” has a region code {region} unknown in every year's table; check it.",
    ),
    # batches & rules
    # {batch} is batch.named (批次 L2021-0001) or, for a batch not saved yet, batch.unsaved (新批次)
    "batch.named": ("批次 {code}", "Batch {code}"),
    "batch.unsaved": ("新批次", "The new batch"),
    "batch.dates": (
        "{batch}：离开日期 {departure} 早于到达日期 {arrival}。",
        "{batch}: the departure {departure} is before the arrival {arrival}.",
    ),
    "batch.too_long": (
        "{batch}：行程 {days} 天，超过政策上限 {max} 天。",
        "{batch}: {days:day|days}, more than the policy maximum of {max}.",
    ),
    "word.none": ("无", "none"),
    "cli.screenshot_failed": (
        "截图没有保存：无法写入 {path}（文件夹不存在或没有写权限，或扩展名不是 .png）。",
        "The screenshot was not saved: {path} cannot be written (no such folder, no permission, or not .png).",
    ),
    "print.unknown_document": (
        "没有名为“{value}”的文件；可打印：{documents}。",
        "There is no document “{value}”; these can be printed: {documents}.",
    ),
    "stats.no_route": ("（无线路）", "(no route)"),
    "alerts.count": ("需要关注：{n} 项。", "Needing attention: {n}."),
    "alert.agreement_expiring": (
        "合作单位 {partner} 的协议 {day} 到期（还有 {days} 天）：请续签或录入新协议。",
        "The agreement with {partner} ends on {day} (in {days:day|days}): renew it or enter the new one.",
    ),
    "alert.quota_over": (
        "{partner} 协议 {number}：{year} 年已超出配额（{figures}）。",
        "{partner}, agreement {number}: over its {year} quota ({figures}).",
    ),
    "alert.quota_batches": ("批次 {used}/{quota}", "batches {used} of {quota}"),
    "alert.category_share": (
        "{partner} {year} 年：{category} {count} / {total} 人 = {share}%，低于 {least}%。",
        "{partner} in {year}: {category} {count} (people on the rosters: {total}) = {share}%, below {least}%.",
    ),
    "rule.category_share": (
        "批次 {code}：{category} {count} / {total} 人 = {share}%，低于 {least}%。",
        "Batch {code}: {category} {count} (people on the roster: {total}) = {share}%, below {least}%.",
    ),
    "policy.category_share": (
        "职工类别比例应写作“类别:百分比”（百分比 1 至 100），如“一线职工:90”，而不是“{value}”。",
        "A category share is written “category:percent” (1 to 100), such as “一线职工:90”, not “{value}”.",
    ),
    "policy.dimension": (
        "问卷维度“{value}”不认识：请从以下维度中选择，用顿号或逗号分隔：{choices}。",
        "“{value}” is not a questionnaire dimension: choose among these, separated by commas: {choices}.",
    ),
    "policy.dimension_overall": (
        "问卷维度中要有“{overall}”：评分表按它标记需复核关注的基地。",
        "The questionnaire's dimensions must include “{overall}”: the scorecard flags bases for review on it.",
    ),
    "policy.stars": (
        "星级应为 1.0 至 5.0 之间的数（最多一位小数），如“4.0”，而不是“{value}”。",
        "Stars are a number from 1.0 to 5.0 with at most one decimal, such as “4.0”, not “{value}”.",
    ),
    "alert.quota_people": ("人数 {used}/{quota}", "people {used} of {quota}"),
    "alert.cert_lapsing": (
        "基地 {base} 的认定 {day} 到期（还有 {days} 天）：请安排复核或续期。",
        "The certificate of {base} ends on {day} (in {days:day|days}): arrange the re-check or renewal.",
    ),
    "alert.cert_recheck_due": (
        "基地 {base} 应在 {day} 前复核（还有 {days} 天）。",
        "{base} is due for its re-check by {day} (in {days:day|days}).",
    ),
    "alert.no_roster": (
        "批次 {code}（{partner}）{day} 到达（还有 {days} 天），尚无名单：请向合作单位索取并导入。",
        "Batch {code} ({partner}) arrives on {day} (in {days:day|days}) and has no roster: ask the partner for it "
        "and import it.",
    ),
    "alert.uncertified_lodging": (
        "批次 {code}（{partner}）有 {nights} 晚住在基地 {base}，而该基地当晚没有有效认定（最早为 {day}）：请更换"
        "基地或补办认定。",
        "Batch {code} ({partner}) lodges {nights:night|nights} at {base} while the base holds no valid certificate "
        "(the first on {day}): move it to another base or renew the certificate.",
    ),
    "alert.agreement_ended": (
        "批次 {code}（{partner}）{arrival} 到达，所依据的协议 {number} 已于 {day} 终止：请续签或改用有效的协议。",
        "Batch {code} ({partner}) arrives on {arrival}, but its agreement {number} ended on {day}: renew it or "
        "choose an agreement in force.",
    ),
    "alert.agreement_ends_during": (
        "批次 {code}（{partner}）{arrival} 到达、{departure} 离开，所依据的协议 {number} 将于 {day} 终止，早于"
        "批次离开：请续签或改用有效的协议。",
        "Batch {code} ({partner}) stays from {arrival} to {departure}, but its agreement {number} ends on {day}, "
        "before it leaves: renew it or choose an agreement in force.",
    ),
    "alert.order_unanswered": (
        "批次 {code}（{partner}）的接待预订单 {sent} 发给基地 {base}，已 {days} 天未回复：请联系基地催问，并登记"
        "其确认或拒绝。",
        "The service order of batch {code} ({partner}) was sent to {base} on {sent} and has waited "
        "{days:day|days} for an answer: call the base and record whether it confirms.",
    ),
    "alert.order_unconfirmed": (
        "批次 {code}（{partner}）{day} 到达（还有 {days} 天），基地 {base} 尚未确认接待预订单（{state}）：请发送当前"
        "预订单并登记基地的确认，或改用其他基地。",
        "Batch {code} ({partner}) arrives on {day} (in {days:day|days}), but its service order to {base} is not "
        "confirmed ({state}): send the current order and record the base's confirmation, or use another base.",
    ),
    "alert.order_withdrawn": (
        "批次 {code}（{partner}）{day} 到达的接待预订单已发给基地 {base}，但{why}：请打印取消通知书发给基地。",
        "The service order of batch {code} ({partner}, arriving on {day}) was sent to {base}, but {why}: print "
        "the cancellation notice and send it to the base.",
    ),
    "alert.order_withdrawn_cancelled": ("批次已取消", "the batch was cancelled"),
    "alert.order_withdrawn_unused": ("批次已不再使用该基地", "the batch no longer uses that base"),
    "rule.overbooked": (
        "{base} {night} 床位超出 {over} 张（已订 {used} / 共 {beds}）。",
        "{base} on {night}: {over:bed|beds} overbooked ({used} booked of {beds}).",
    ),
    "rule.overlap": (
        "{name}（身份证号 {id}）同时在批次 {a}（{a_dates}）和批次 {b}（{b_dates}）中，日期重叠。",
        "{name} (ID {id}) is in batch {a} ({a_dates}) and batch {b} ({b_dates}), whose dates overlap.",
    ),
    "rule.overlap_now": (
        "{count} 人已在日期重叠的其他批次中，未保存任何修改。例如 {name}（身份证号 {id}）同时在批次 {a}（{a_dates}）"
        "和批次 {b}（{b_dates}）中。可能是另一位同事刚刚保存了那个批次；请重新读取后再试。",
        "{count:person is|people are} already in other batches whose dates overlap; nothing was saved. For example {name} "
        "(ID {id}) is in batch {a} ({a_dates}) and batch {b} ({b_dates}). Another desk may have just saved that "
        "batch; read it again and retry.",
    ),
    "rule.bad_id": (
        "批次 {batch}，团员 {name}：{problem}",
        "Batch {batch}, participant {name}: {problem}",
    ),
    "rule.headcount_negative": (
        "批次 {code}：计划人数不能为负数（{value}）。",
        "Batch {code}: the planned headcount cannot be negative ({value}).",
    ),
    # stats
    "stats.unknown_year": (
        "数据库中没有 {year} 年的任何记录（有记录的年份：{years}）。",
        "The database holds nothing for {year} (years with records: {years}).",
    ),
    "stats.until_outside": (
        "--until {until} 不在 {year} 年内。",
        "--until {until} is not in the year {year}.",
    ),
    # money figures (recuperation/services/money_stats.py, `stats --money`)
    "money_figures.no_base": ("（未安排基地）", "(no base)"),
    "money_figures.total": (
        "费用合计 ¥{total}（团员 ¥{members}，随行家属自费 ¥{companions}）",
        "Cost ¥{total} (members ¥{members}, companions at their own cost ¥{companions})",
    ),
    "money_figures.per_day": (
        "团员 {days} 人天，每人天费用 ¥{per_day}（团员费用 ÷ 团员人天）",
        "{days} members' person-days, ¥{per_day} per person-day (members' cost ÷ their person-days)",
    ),
    "money_figures.sources": (
        "费用来源：已审批发票 {invoice_n} 项 ¥{invoice}，按报到计算 {actual_n} 项 ¥{actual}，"
        "按计划计算 {planned_n} 项 ¥{planned}",
        "Where the costs come from: approved invoices {invoice_n} (¥{invoice}), computed from the roll call "
        "{actual_n} (¥{actual}), computed from the plan {planned_n} (¥{planned})",
    ),
    "money_figures.incomplete": (
        "{n} 项费用缺少价格，合计只含已定价的部分：{items}。请在基地的价目表中补上价格。",
        "{n:cost lacks|costs lack} prices, so the totals hold only the priced part: {items}. Add the prices "
        "to the bases' rate cards.",
    ),
    "money_figures.no_base_batches": (
        "{n} 个批次没有安排基地（住宿或行程），无法计算费用：{codes}。",
        "{n:batch uses|batches use} no base (lodging or itinerary), so no cost is known: {codes}.",
    ),
    "money_figures.paid": (
        "基地发票 {n} 张，合计 ¥{invoiced}：已付款 ¥{paid}，未付 ¥{outstanding}（待审批 ¥{awaiting}，"
        "已审批未付 ¥{due}）",
        "Invoices from the bases: {n}, ¥{invoiced}: paid ¥{paid}, unpaid ¥{outstanding} (awaiting approval "
        "¥{awaiting}, approved and unpaid ¥{due})",
    ),
    "money_figures.uninvoiced": (
        "已完成、基地尚未开票：{n} 项，按计算 ¥{fen}",
        "Completed, not yet invoiced by the base: {n}, ¥{fen} as computed",
    ),
    "money_figures.by_kind": ("按类型", "By kind"),
    "money_figures.by_partner": ("按合作单位", "By partner"),
    "money_figures.by_base": ("按基地", "By base"),
    "money_figures.by_route": ("按线路", "By route"),
    "money_figures.by_month": ("按月份", "By month"),
    "money_figures.line": (
        "{name}：{batches} 批次，{days} 人天，费用 ¥{cost}，每人天 ¥{per_day}",
        "{name}: batches {batches}, person-days {days}, cost ¥{cost}, per person-day ¥{per_day}",
    ),
    # check
    "check.ok": ("检查通过：未发现问题。", "Check passed: no problems found."),
    "check.problems": ("发现 {n} 个问题。", "{n:problem|problems} found."),
    # demo
    "demo.done": (
        "演示数据已生成（{years} 年）：{batches} 个批次，{participants} 名团员，用时 {seconds:.1f} 秒。演示中的人员均为虚构。",
        "Demo data written ({years:year|years}): {batches:batch|batches}, {participants:participant|participants} in "
        "{seconds:.1f} s. The people in the demo are invented.",
    ),
    "demo.not_empty": (
        "数据库 {path} 已有数据（{batches} 个批次），演示数据只能写入空数据库。",
        "The database {path} already holds data ({batches:batch|batches}); demo data goes only into an empty one.",
    ),
    # cli
    "cli.usage": ("用法错误：{detail}", "Usage error: {detail}"),
    "cli.bad_date": (
        "日期“{value}”无效，应为 YYYY-MM-DD，例如 2021-11-30。",
        "The date “{value}” is invalid; use YYYY-MM-DD, for example 2021-11-30.",
    ),
    "cli.bad_year": (
        "年份“{value}”无效，应为 2000 到 2100 之间的四位数字。",
        "The year “{value}” is invalid; use four digits between 2000 and 2100.",
    ),
    "cli.bad_int": ("“{value}”不是正整数。", "“{value}” is not a positive whole number."),
    "demo.years": (
        "演示数据可以有 1 到 {most} 年，不能是 {value} 年。",
        "The number of demo years must be between 1 and {most}; {value} was asked for.",
    ),
    "cli.unexpected": (
        "意外错误：{detail}（详情见日志 {log}）",
        "Unexpected error: {detail} (details in the log {log})",
    ),
    "cli.no_display": (
        "没有可用的显示器（未设置 DISPLAY 或 WAYLAND_DISPLAY），无法打开窗口。请在桌面环境中启动，"
        "或用 xvfb-run recuperation 在虚拟屏幕上运行。",
        "No display is available (neither DISPLAY nor WAYLAND_DISPLAY is set), so no window can open. Start it "
        "on a desktop, or on a virtual screen with xvfb-run recuperation.",
    ),
    "cli.bad_size": (
        "窗口尺寸“{value}”无效，应为 宽x高（像素），宽 {min_width}–{max_width}、高 {min_height}–{max_height}，"
        "例如 1366x768。",
        "The window size “{value}” is invalid; use WIDTHxHEIGHT in pixels, width {min_width}–{max_width} and "
        "height {min_height}–{max_height}, for example 1366x768.",
    ),
    "cli.window_too_small": (
        "窗口无法缩小到 {size}：“{page}”页面至少需要 {least}。这是界面的缺陷，未保存截图。",
        "The window cannot shrink to {size}: the “{page}” page needs at least {least}. This is a defect of "
        "the interface; no screenshot was saved.",
    ),
    "cli.gui_unavailable": (
        "无法启动桌面程序：{detail}",
        "The desktop program cannot start: {detail}",
    ),
}


CATALOGUE.update(
    {
        "access.needs": (
            "{login} 没有“{right}”的权限：需要角色 {roles}。请找管理员在 设置 → 用户与角色 中添加。",
            "{login} may not {right}: it needs the role {roles}. Ask the administrator to add it in "
            "Settings → Users and roles.",
        ),
        "access.signed_in": ("{login}（{roles}）", "{login} ({roles})"),
        "access.denied": (
            "服务器拒绝了这项操作：{login} 没有{action}的权限（{detail}）。数据库没有改动。需要时请找管理员添加角色。",
            "The server refused this: {login} may not {action} ({detail}). Nothing was changed. Ask the "
            "administrator for the role if you need it.",
        ),
        "access.action_write": ("修改这些数据", "change this data"),
        "access.action_read": ("读取这些数据", "read this data"),
        "access.action_write_table": ("修改“{table}”", "change “{table}” records"),
        "db.migrate_denied": (
            "数据库 {path} 的结构版本是 {revision}，需要先升级到本程序（{version}）的版本，但 {login} 不能升级它："
            "只有数据库的所有者 {owner} 能升级。请 {owner} 先用新版程序打开一次，然后再打开。数据库没有改动。",
            "The database {path} is at schema revision {revision} and must first be upgraded for this program "
            "({version}), but {login} cannot upgrade it: only its owner {owner} can. Ask {owner} to open it once "
            "with the new program, then open it again. Nothing was changed.",
        ),
        "users.password_set": ("{login} 的密码已更新。", "The password of {login} is changed."),
        "db.sign_in_password": (
            "服务器 {server} 拒绝了 {login} 的密码。请重新输入密码；忘记了请找管理员在 设置 → 用户与角色 中“设置密码…”。",
            "The server {server} refused the password of {login}. Type it again; if it is forgotten, ask the "
            "administrator to use “Set password…” in Settings → Users and roles.",
        ),
        "db.sign_in_no_password": (
            "服务器 {server} 要求 {login} 的密码，但没有给出。请输入密码，或把它存进这台电脑的 libpq 密码文件（pgpass）。",
            "The server {server} asks for the password of {login}, and none was given. Type it, or keep it in "
            "this computer's libpq password file (pgpass).",
        ),
        "db.sign_in_disabled": (
            "{login} 已被停用，不能登录服务器 {server}。需要时请找管理员在 设置 → 用户与角色 中“启用”。",
            "{login} is disabled and cannot sign in to the server {server}. Ask the administrator to enable it "
            "in Settings → Users and roles if needed.",
        ),
        "db.sign_in_not_member": (
            "{login} 不是数据库 {database} 的用户（没有任何角色）。请管理员在 设置 → 用户与角色 中添加。",
            "{login} is not a user of the database {database} (it holds none of its roles). Ask the "
            "administrator to add it in Settings → Users and roles.",
        ),
        "db.sign_in_unknown": (
            "服务器 {server} 上没有登录名 {login}。请检查登录名，或请管理员添加。",
            "The server {server} has no login {login}. Check the login, or ask the administrator to add it.",
        ),
        "db.needs_createrole": (
            "服务器角色 {login} 不能创建角色，所以无法为这个数据库建立用户和角色（数据库没有改动）。请服务器的超级用户执行 "
            "ALTER ROLE {login} CREATEROLE，然后重新打开。",
            "The server role {login} may not create roles, so this database's users and roles cannot be set up "
            "(nothing was changed). Ask the server's superuser to run ALTER ROLE {login} CREATEROLE, then open it "
            "again.",
        ),
        "access.users_owner": (
            "{login} 不能管理用户和角色：在服务器上，这由数据库的所有者（运行迁移的服务器角色，第一位管理员）来做；"
            "管理员的其他权限（设置）不变。",
            "{login} may not administer users and roles: on a server the database's owner (the server role that "
            "ran the migrations, the first administrator) does; an administrator's other rights (the settings) "
            "stay.",
        ),
        "access.roles_needed": ("需要角色 {roles}", "it needs the role {roles}"),
        "users.sqlite": (
            "单机数据库文件没有用户和角色：这台电脑的用户 {user} 拥有全部权限。用户和角色在共享的 PostgreSQL 服务器上管理。",
            "A single desk's database file has no users or roles: this computer's user {user} holds every "
            "right. Users and roles are kept on a shared PostgreSQL server.",
        ),
        "users.bad_login": (
            "登录名“{login}”不可用：请用 1–63 个字母、数字或 _ . - @，且不以 pg_ 或 rd_ 开头。",
            "The login “{login}” cannot be used: use 1–63 letters, digits or _ . - @, not starting with pg_ or rd_.",
        ),
        "users.bad_role": (
            "没有“{role}”这个角色。可用的角色：{roles}。",
            "There is no role “{role}”. The roles are: {roles}.",
        ),
        "users.no_roles": (
            "请至少给出一个角色：{roles}。",
            "Give at least one role: {roles}.",
        ),
        "users.exists": (
            "服务器上已有登录名 {login}：请改变其角色而不是再添加（在 设置 → 用户与角色 中选中后点“修改角色…”，"
            "或用命令 user roles {login} 角色…）。",
            "The server already has the login {login}: change its roles instead of adding it (in Settings → Users "
            "and roles select it and click “Change roles…”, or run user roles {login} ROLE…).",
        ),
        "users.unknown": (
            "服务器上没有登录名 {login}。请先用 user add {login} --roles 角色 添加。",
            "The server has no login {login}. Add it first with user add {login} --roles ROLE.",
        ),
        "users.not_ours": (
            "{login} 不是这个数据库的用户（没有任何角色）。",
            "{login} is not a user of this database (it holds none of its roles).",
        ),
        "users.last_admin": (
            "{login} 是唯一的管理员，不能去掉其管理员角色：请先让另一位同事成为管理员。",
            "{login} is the only administrator and cannot lose that role: make a colleague administrator first.",
        ),
        "users.disable_self": (
            "不能停用自己（{login}）：请让另一位管理员来做。",
            "You cannot disable yourself ({login}): ask another administrator.",
        ),
        "users.disable_owner": (
            "不能停用 {login}：它是这个数据库的所有者（运行迁移、升级数据库的角色）或服务器的超级用户。",
            "{login} cannot be disabled: it owns this database (it runs the migrations and upgrades) or is the "
            "server's superuser.",
        ),
        "users.cannot_create": (
            "服务器拒绝创建登录名（{detail}）。管理员的服务器角色需要 CREATEROLE 权限：请服务器的超级用户执行 "
            "ALTER ROLE {login} CREATEROLE。",
            "The server refused to create the login ({detail}). The administrator's server role needs "
            "CREATEROLE: ask the server's superuser to run ALTER ROLE {login} CREATEROLE.",
        ),
        # the administrator's command line (recuperation/cli_users.py)
        "users.added": ("已添加用户 {login}（{roles}）。", "Added the user {login} ({roles})."),
        "users.roles_set": ("{login} 的角色现在是 {roles}。", "{login} now holds the roles {roles}."),
        "users.disabled": (
            "已停用 {login}：不能再登录，其历史记录保留。",
            "Disabled {login}: they can no longer sign in; their history stays.",
        ),
        "users.enabled": ("已重新启用 {login}（{roles}）。", "Enabled {login} again ({roles})."),
        "users.cannot_login": ("已停用", "disabled"),
        "users.no_password": (
            "标准输入里没有密码：请用 echo 密码 | recuperation … user add 登录名 --roles 角色 --password-stdin。",
            "No password on standard input: use echo PASSWORD | recuperation … user add LOGIN --roles ROLE "
            "--password-stdin.",
        ),
        "users.permissions_sqlite": (
            "这是单机数据库文件：这台电脑的用户拥有全部角色；每个角色在服务器上可修改的表，请用 --db 给出服务器的地址再看。",
            "This is a single desk's file: this computer's user holds every role. For the tables each role writes "
            "on a server, give the server's address with --db.",
        ),
        # personal data kept no longer than needed (recuperation/services/privacy.py, privacy purge)
        "policy.retention_years": (
            "个人信息保存年数应为 0 至 {max} 的整数（批次结束后多少年可以匿名化团员的个人信息），而不是“{value}”。",
            "The retention of personal data is a whole number of years from 0 to {max} (how long after a batch "
            "ends its people's data may be anonymised), not “{value}”.",
        ),
        "privacy.too_late": (
            "不能匿名化 {before} 前结束的批次：保存期限是批次结束后 {years} 年（设置 → 单位与政策 → 个人信息保存年数），"
            "今天（{today}）最晚只能选 {cutoff}。请选不晚于 {cutoff} 的日期。",
            "Batches that ended before {before} cannot be anonymised yet: the retention policy keeps people's "
            "data for {years:year|years} after their batch ended (Settings → Union and policy), so today "
            "({today}) the latest date is {cutoff}. Choose a date no later than {cutoff}.",
        ),
        "privacy.denied": ("不能匿名化个人信息：{why}", "Personal data cannot be anonymised: {why}"),
        "privacy.edit_anonymised": (
            "这位团员（{id}）的个人信息已于 {day} 匿名化，不能再修改；统计所需的性别、年龄、类别和单位保持原样。",
            "This person's data ({id}) was anonymised on {day} and cannot be changed; the sex, age, category and "
            "employer the statistics count stay as they were.",
        ),
        "privacy.irreversible": (
            "匿名化不可撤销：团员的姓名、身份证号、电话、紧急联系人、健康状况、饮食、部门、房间号和备注将被删除，"
            "只能从匿名化之前的备份恢复。统计数字（人次、人天、性别、年龄、类别、单位、费用）保持不变。",
            "Anonymising cannot be undone: the people's names, ID numbers, phones, emergency contacts, health, "
            "diets, departments, room numbers and notes are removed, and only a backup made before can bring "
            "them back. Every statistic (people, person-days, sex, age, category, employer, costs) stays the same.",
        ),
        "privacy.backups_sqlite": (
            "备份文件夹 {folder} 里的 {count} 个备份仍含这些数据：每日备份保留 {days} 天，之后每月保留一个；"
            "迁移前、恢复前和手动做的备份不会自动删除；另存在别处的备份和副本也一样。确认不再需要后，请删除这些备份。",
            "The {count:backup|backups} in {folder} still hold this data: a daily backup is kept {days:day|days}, "
            "then one a month stays; backups made before a migration, before a restore or by hand are never "
            "removed by the program, nor are copies kept elsewhere. Delete them once you no longer need them.",
        ),
        "privacy.no_backups_sqlite": (
            "备份文件夹 {folder} 里没有备份；另存在别处的备份和数据库副本仍含这些数据，确认不再需要后请删除。",
            "There are no backups in {folder}; backups and copies of the database kept elsewhere still hold this "
            "data: delete them once you no longer need them.",
        ),
        "privacy.backups_server": (
            "服务器的备份（pg_dump 等）仍含这些数据，直到按服务器的备份周期删除。",
            "The server's backups (pg_dump and the like) still hold this data until its backup rotation "
            "removes them.",
        ),
        "privacy.backup_first": (
            "如需保留恢复的可能，请先备份：recuperation --db {db} backup -o 文件。",
            "To keep a way back, make a backup first: recuperation --db {db} backup -o FILE.",
        ),
        "privacy.policy": (
            "保存期限：批次结束后 {years} 年；今天（{today}）最晚可匿名化 {cutoff} 前结束的批次。",
            "Retention: {years:year|years} after a batch ends; today ({today}) batches that ended before "
            "{cutoff} may be anonymised.",
        ),
        "privacy.year_line": (
            "  {year} 年：{batches} 个批次，{people} 人",
            "  {year}: {batches:batch|batches}, {people:person|people}",
        ),
        "privacy.plan": (
            "{before} 前结束的批次中，{batches} 个批次的 {people} 人待匿名化：",
            "Of the batches that ended before {before}, {batches:batch|batches} with {people:person|people} "
            "to anonymise:",
        ),
        "privacy.nothing": (
            "{before} 前结束的批次中没有待匿名化的人。",
            "Nobody is left to anonymise in the batches that ended before {before}.",
        ),
        "privacy.dry_run": (
            "这只是预览，没有改动任何数据；去掉 --dry-run 即执行。",
            "This was a preview; nothing was changed. Run it without --dry-run to anonymise.",
        ),
        "privacy.done": (
            "已匿名化 {batches:,} 个批次的 {people:,} 人（{before} 前结束），并改写了这些批次的其他记录 {records:,} 条；"
            "审计日志中每个批次记一条。",
            "Anonymised {people:person|people} of {batches:batch|batches} (ended before {before}) and rewrote "
            "{records:other record|other records} of those batches; the audit log has one entry per batch.",
        ),
        "privacy.confirm": ("确定匿名化吗？输入 y 继续：", "Anonymise now? Type y to go on: "),
        "privacy.cancelled": ("已取消，没有改动任何数据。", "Cancelled; nothing was changed."),
        "privacy.anonymised": ("已匿名化：", "Anonymised already:"),
        "privacy.none_anonymised": ("还没有匿名化过任何人。", "Nobody has been anonymised yet."),
        "privacy.last": ("最近一次匿名化：{day}", "Last anonymised on {day}"),
        # the PIN of a single desk (recuperation/services/desk_pin.py)
        "pin.server": (
            "PIN 只用于单机数据库文件。服务器上的数据库由每个人自己的登录名和角色保护（设置 → 用户与角色）。",
            "A PIN is for a single desk's database file. A server database is protected by each person's own "
            "login and roles (Settings → Users and roles).",
        ),
        "pin.bad": (
            "PIN 须为 4–12 位数字（输入了 {length} 个字符）。",
            "A PIN is 4–12 digits (you typed {length:character|characters}).",
        ),
        "pin.wrong_current": (
            "当前 PIN 不对，PIN 没有改变。",
            "The current PIN is wrong; the PIN was not changed.",
        ),
        "pin.none": (
            "这个数据库文件没有设置 PIN。",
            "This database file has no PIN.",
        ),
        "pin.prompt": ("这个数据库文件设置了 PIN，请输入：", "This database file has a PIN; enter it: "),
        "pin.needed": (
            "这个数据库文件设置了 PIN：完整证件号需要输入 PIN（在终端输入，或由环境变量 RECUPERATION_PIN 给出）。"
            "没有输出任何内容。",
            "This database file has a PIN: full ID numbers need it (typed on a terminal, or given in the "
            "environment variable RECUPERATION_PIN). Nothing was written.",
        ),
        "pin.wrong": (
            "PIN 不对：没有输出完整证件号。",
            "The PIN is wrong: no full ID numbers were written.",
        ),
        "pin.locked": (
            "PIN 已连续 {count} 次不对：请在 {until} 之后再试（约 {minutes} 分钟）。这期间不检查 PIN。",
            "The PIN was wrong {count} times in a row: try again after {until} (about "
            "{minutes:minute|minutes}). No PIN is checked until then.",
        ),
        "pin.wrong_at_open": (
            "这个数据库文件设置了 PIN：环境变量 RECUPERATION_PIN 不对或没有给出，程序没有打开。",
            "This database file has a PIN: RECUPERATION_PIN is wrong or not given, so the program did not open.",
        ),
    }
)


def set_language(language: str) -> None:
    """Choose the language of core messages: ``"zh"`` (default) or ``"en"``."""
    global _LANGUAGE
    _LANGUAGE = "en" if language.lower().startswith("en") else "zh"


def day_text(day: dt.date, *, year: bool = True, language: str | None = None) -> str:
    """A day as the language writes it in a sentence: 2026年3月30日 (or 3月30日 without the year); in English the
    ISO date, which reads the same everywhere."""
    if (language or _LANGUAGE) != "zh":
        return day.isoformat()
    return f"{day.year}年{day.month}月{day.day}日" if year else f"{day.month}月{day.day}日"


def date_range(first: dt.date, last: dt.date) -> str:
    """Two days as a span in a sentence: 2026-12-14 至 2026-12-16 / 2026-12-14 to 2026-12-16."""
    return f"{first.isoformat()} {'至' if _LANGUAGE == 'zh' else 'to'} {last.isoformat()}"


def join(items: list[str]) -> str:
    """Items listed as the language lists them: 张三、李四 / 张三, 李四."""
    return ("、" if _LANGUAGE == "zh" else ", ").join(items)


def join_clauses(items: list[str]) -> str:
    """Clauses one after another in one sentence: 甲；乙 / A; B."""
    return ("；" if _LANGUAGE == "zh" else "; ").join(items)


def language() -> str:
    return _LANGUAGE


class _Formatter(string.Formatter):
    """str.format with a count's noun chosen by the count, for English: ``{warnings:warning|warnings}`` gives
    “1 warning” and “2 warnings” (Chinese needs no such field: 提醒 {warnings} 处)."""

    def format_field(self, value: object, format_spec: str) -> str:
        if "|" in format_spec and isinstance(value, int):
            one, _, other = format_spec.partition("|")
            return f"{value} {one if value == 1 else other}"
        return str(super().format_field(value, format_spec))


_FORMATTER = _Formatter()


def text(key: str, /, **params: object) -> str:
    """The message ``key`` in the current language with ``params`` filled in.

    Text parameters are made printable (:func:`printable`), so a message is always one line without control
    characters, and ``value`` — by convention the value a user typed or a cell held — is also shortened
    (:func:`shown`).  Callers quoting a value under another name (a name, a key read from a file) pass it
    through :func:`shown` themselves.
    """
    zh, en = CATALOGUE[key]
    template = en if _LANGUAGE == "en" else zh
    safe = {
        name: (shown(value) if name == "value" else printable(value)) if isinstance(value, str) else value
        for name, value in params.items()
    }
    return _FORMATTER.format(template, **safe) if "|" in template else template.format(**safe)


#: Characters a message never carries as they are: C0 and C1 controls (ESC, NUL, line breaks, tabs), bidi
#: marks, embeddings, overrides and isolates, zero-width characters, line and paragraph separators, BOM.
INVISIBLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufffe\uffff]"
)
#: How many characters of a quoted value a message shows.
SHOWN_LENGTH = 60


def _escaped(char: str) -> str:
    return f"\\u{ord(char):04x}"


def printable(value: object) -> str:
    """``value`` as text fit for one line of a terminal: invisible and control characters shown as \\uXXXX."""
    return INVISIBLE.sub(lambda m: _escaped(m[0]), str(value))


def shown(value: object, limit: int = SHOWN_LENGTH) -> str:
    """A value quoted in a message: printable (see :func:`printable`) and at most ``limit`` characters, the
    rest cut and marked with “…”, so a 100,000-character cell gives a short message and small JSON."""
    pieces: list[str] = []
    length = 0
    for char in "" if value is None else str(value):
        piece = _escaped(char) if INVISIBLE.match(char) else char
        if length + len(piece) > limit:
            while pieces and length + 1 > limit:  # room for the “…”
                length -= len(pieces.pop())
            return "".join(pieces) + "…"
        pieces.append(piece)
        length += len(piece)
    return "".join(pieces)


def char_name(char: str) -> str:
    """One character as a message names it: “/” when it can be seen, U+202E when it cannot, 空格 for a space."""
    if char == " ":
        return text("field.char_space")
    if INVISIBLE.match(char) or char.isspace() or not char.isprintable():
        return f"U+{ord(char):04X}"
    return f"“{char}”"


#: The records of the glossary as a person names them (for messages and the audit viewer).
KIND_LABELS: dict[str, tuple[str, str]] = {
    "partner": ("合作单位", "Partner"),
    "agreement": ("合作协议", "Agreement"),
    "base": ("疗休养基地", "Base"),
    "certification": ("基地认定", "Certification"),
    "route": ("线路", "Route"),
    "batch": ("批次", "Batch"),
    "participant": ("团员", "Participant"),
    "policy_setting": ("政策设置", "Policy setting"),
    "service_order": ("接待预订单", "Service order"),
    "roster_event": ("名单变动", "Roster change"),
    "waiting_entry": ("候补", "Waiting list entry"),
    "departure_notice": ("出团通知书", "Departure notice"),
    "rate_card": ("价目表", "Rate card"),
    "rate_line": ("价格", "Price"),
    "base_invoice": ("基地发票", "Base invoice"),
    "invoice_adjustment": ("发票调整", "Invoice adjustment"),
    "payment": ("付款", "Payment"),
}

FIELD_LABELS: dict[str, tuple[str, str]] = {
    "name": ("名称", "name"),
    "kind": ("类型", "kind"),
    "region": ("地区", "region"),
    "uscc": ("统一社会信用代码", "unified social credit code"),
    "contact_name": ("联系人", "contact"),
    "contact_phone": ("联系电话", "contact phone"),
    "address": ("地址", "address"),
    "notes": ("备注", "notes"),
    "number": ("协议编号", "agreement number"),
    "code": ("编号", "code"),
    "township": ("乡镇", "township"),
    "beds": ("床位数", "beds"),
    "rooms": ("房间数", "rooms"),
    "dining_seats": ("餐位数", "dining seats"),
    "meeting_seats": ("会议座位数", "meeting seats"),
    "headcount": ("计划人数", "planned headcount"),
    "leader": ("领队", "leader"),
    "leader_phone": ("领队电话", "leader's phone"),
    "guide": ("导游", "guide"),
    "vehicle": ("车辆", "vehicle"),
    "id_number": ("身份证号", "ID number"),
    "phone": ("手机", "phone"),
    "employer": ("工作单位", "employer"),
    "quota_batches": ("年度批次配额", "yearly batch quota"),
    "quota_people": ("年度人数配额", "yearly people quota"),
    "price_fen": ("协议价格", "agreed price"),
    "days": ("天数", "days"),
    "nights": ("晚数", "nights"),
    "theme": ("主题", "theme"),
    "certificate_no": ("证书编号", "certificate number"),
    "people": ("人数", "people"),
    "cert_level": ("认定级别", "certification level"),
    "cert_valid_from": ("认定有效期起", "certified from"),
    "cert_valid_to": ("认定有效期至", "certified until"),
    "signed_on": ("签订日期", "signed on"),
    "valid_from": ("生效日期", "valid from"),
    "valid_to": ("终止日期", "valid to"),
    "price": ("价格", "price"),
    "season": ("适用季节", "season"),
    "description": ("简介", "description"),
    "day_no": ("第几天", "day"),
    "time_of_day": ("时段", "time of day"),
    "item_kind": ("项目类型", "item kind"),
    "activity": ("活动", "activity"),
    "place": ("地点", "place"),
    "base": ("住宿基地", "base"),
    "partner": ("合作单位", "partner"),
    "agreement": ("协议", "agreement"),
    "route": ("线路", "route"),
    "arrival": ("到达日期", "arrival"),
    "departure": ("离开日期", "departure"),
    "dates": ("起止日期", "stay"),
    "status": ("状态", "status"),
    "department": ("部门", "department"),
    "category": ("职工类别", "category"),
    "diet": ("饮食禁忌", "diet"),
    "health": ("健康状况", "health"),
    "emergency_contact": ("紧急联系人", "emergency contact"),
    "room": ("房间", "room"),
    "setting": ("项目", "setting"),
    "change_reason": ("修改原因", "reason for the change"),
    "gather_at": ("集合时间", "gathering time"),
    "gather_place": ("集合地点", "gathering place"),
    "bring": ("携带物品", "what to bring"),
    "conduct": ("纪律要求", "rules of conduct"),
    "contacts": ("紧急联系人", "emergency contacts"),
    "insurance": ("保险", "insurance"),
    "sent_on": ("发出日期", "date sent"),
    "answered_on": ("回复日期", "date answered"),
    "cancel_sent_on": ("取消通知发出日期", "date the cancellation notice was sent"),
    "edition": ("版本", "edition"),
    "attendance": ("报到", "attendance"),
    "left_on": ("提前离开日期", "day left"),
    "companion": ("随行家属", "companion"),
    "roll_closed_on": ("报到关闭日期", "roll call closed on"),
    "sent_how": ("发送方式", "how it was sent"),
    "answered_by": ("基地确认人", "who answered at the base"),
    "reference": ("基地编号", "the base's reference"),
    "reason": ("原因", "reason"),
    "changes": ("基地的变更", "what the base changed"),
    "order_mode": ("预订单未确认时", "unconfirmed orders"),
    "order_answer_days": ("预订单等待回复天数", "days an order waits for an answer"),
    "invoice_title": ("开票单位", "invoicing unit"),
    "bank_name": ("开户银行", "bank"),
    "bank_account": ("银行账号", "bank account"),
    "tax_bp": ("税率", "tax rate"),
    "item": ("项目", "item"),
    "unit": ("计价单位", "unit"),
    "unit_price": ("单价", "unit price"),
    "first_day": ("季节起", "season from"),
    "last_day": ("季节止", "season to"),
    "lines": ("价格", "prices"),
    "invoice_number": ("发票号码", "invoice number"),
    "issued_on": ("开票日期", "date of issue"),
    "amount": ("发票金额", "invoice amount"),
    "tax": ("税率", "tax rate"),
    "adjustments": ("差额说明", "adjustments"),
    "approved_on": ("审批日期", "date approved"),
    "approved_by": ("审批人", "approved by"),
    "policy_first_day": ("保险期间起", "cover from"),
    "policy_last_day": ("保险期间止", "cover to"),
    "invoice": ("发票", "invoice"),
    "payment": ("付款", "payment"),
    "state": ("状态", "state"),
    "paid_on": ("付款日期", "date paid"),
    "payment_amount": ("付款金额", "amount paid"),
    "payment_reference": ("付款凭证号", "payment reference"),
    "scan": ("发票扫描件", "invoice scan"),
    # what a partner owes (services.charges)
    "charge_basis": ("结算方式", "charge basis"),
    "no_show_credit_bp": ("未到退费比例", "no-show credit"),
    "year": ("年份", "year"),
}


def kind_label(table: str) -> str:
    zh, en = KIND_LABELS.get(table, (table, table))
    return en if _LANGUAGE == "en" else zh


def field_label(field: str) -> str:
    zh, en = FIELD_LABELS.get(field, (field, field))
    return en if _LANGUAGE == "en" else zh


CATALOGUE.update(
    {
        "order.unknown_batch": (
            "没有批次 {batch}。请核对批次编号（如 L2026-0012），可用 recuperation batch list 查看。",
            "There is no batch {batch}. Check the batch code (such as L2026-0012); recuperation batch list shows them.",
        ),
        "order.unknown_base": (
            "没有名为“{base}”的基地。请核对基地名称（与“基地”页上的名称一字不差）。",
            "There is no base named “{base}”. Check the name: it must be written exactly as on the Bases page.",
        ),
        "order.not_used": (
            "批次 {batch} 现在没有安排在基地“{base}”住宿、用餐或活动（或批次已取消），不能给它发预订单；"
            "已发出的预订单请打印取消通知。",
            "Batch {batch} no longer lodges, eats or has activities at “{base}” (or was cancelled), so no order "
            "can be sent to it; for an order already sent, print a cancellation notice.",
        ),
        "order.not_sent": (
            "批次 {batch} 给基地“{base}”的预订单还没有发出，不能登记基地的回复。请先发出预订单。",
            "The order of batch {batch} for “{base}” has not been sent, so the base's answer cannot be recorded. "
            "Send the order first.",
        ),
        "order.changed_since_sent": (
            "批次 {batch} 给基地“{base}”的预订单发出后批次有变更，基地确认的是旧内容。请把变更通知或新的预订单"
            "发给基地，再登记确认。",
            "Batch {batch} changed after its order was sent to “{base}”, so the base would confirm the old "
            "content. Send the change notice or the new order, then record the confirmation.",
        ),
        "order.answer_by": (
            "批次 {batch}：请填写基地“{base}”是谁确认的（姓名或部门，如“销售部 王丽”）。",
            "Batch {batch}: say who at “{base}” confirmed (a name or a department, such as “Sales, Wang Li”).",
        ),
        "order.no_cancellation": (
            "批次 {batch} 给基地“{base}”的预订单不需要取消通知（批次仍在该基地安排接待，或预订单从未发出）。",
            "The order of batch {batch} for “{base}” needs no cancellation notice (the batch still uses the base, "
            "or the order was never sent).",
        ),
        "roster.reason_needed": (
            "请填写原因（记入批次的名单历史），如“因病不能参加，由同部门同事替换”。",
            "Give the reason (kept in the batch's roster history), for example “ill, replaced by a colleague”.",
        ),
        "roster.batch_closed": (
            "批次 {code} 已完成、已取消或已关闭报到，名单不能再换人、转入或递补。",
            "Batch {code} is completed, cancelled or its roll call is closed: its roster takes no more "
            "substitutions, moves or people from the waiting list.",
        ),
        "roster.roll_closed": (
            "批次 {code} 的报到已于 {day} 关闭：名单是实际到场的记录，不能再加人或删人。"
            "如确需更正，先在报到中重新打开报到，改完再关闭。",
            "The roll call of batch {code} was closed on {day}: the roster is the record of who came and takes "
            "nobody new and loses nobody. To correct it, reopen the roll call first and close it again after.",
        ),
        "rollcall.closed_change": (
            "批次 {code} 的报到已于 {day} 关闭，{what}会改变实到的记录。如确需更正，先重新打开报到，改完再关闭。",
            "The roll call of batch {code} was closed on {day}: {what} would change the record of who came. "
            "To correct it, reopen the roll call first and close it again after.",
        ),
        "roster.closed_needs_reason": (
            "批次 {code} {status}，修改它的名单需要填写原因（记入批次历史）；未保存任何修改。",
            "Batch {code} is {status}: changing its roster needs a reason (kept in the batch's history); "
            "nothing was saved.",
        ),
        "rollcall.what.clear": ("清除标记", "clearing a mark"),
        "rollcall.what.id_number": ("更换身份证号", "changing an ID number"),
        "rollcall.what.companion": ("改变随行家属标记", "changing who is a companion"),
        "rollcall.what.dates": ("改变批次日期", "changing the batch's dates"),
        "rollcall.what.cancel": ("取消批次", "cancelling the batch"),
        "rollcall.what.request": ("制作名单报送表", "a roster request"),
        "roster.move_nobody": ("请先选择要转到其他批次的人。", "Choose the people to move first."),
        "roster.move_one_batch": (
            "一次只能转同一个批次的人。",
            "People are moved from one batch at a time.",
        ),
        "roster.move_same": ("这些人已经在批次 {code} 中。", "These people are already in batch {code}."),
        "roster.move_partner": (
            "批次 {source} 和 {target} 不属于同一个合作单位，不能在它们之间转人。",
            "Batches {source} and {target} belong to different partners; people cannot move between them.",
        ),
        "waiting.duplicate": (
            "{name}（{id}）已在批次 {code} 的名单或候补名单中。",
            "{name} ({id}) is already on the roster or the waiting list of batch {code}.",
        ),
        "waiting.not_waiting": (
            "{name} 已不在批次 {code} 的候补中（已递补或已退出）。",
            "{name} is no longer waiting for batch {code} (already placed or withdrawn).",
        ),
        "waiting.skip_reason": (
            "批次 {code} 的候补中 {first} 等 {count} 人排在 {name} 前面。跳过他们需要填写原因（记入名单历史）。",
            "{first} and others ({count} in all) wait ahead of {name} for batch {code}. Passing them over needs "
            "a reason (kept in the roster history).",
        ),
        "import.other_batch": (
            "这份名单写明是批次 {stated} 的（表头上方的“批次编号”），不能导入批次 {code}。请选对批次，或使用批次 {code} 的名单报送表。",
            "This roster says it is for batch {stated} (the batch code above the header); it is not imported into batch "
            "{code}. Choose the right batch, or use batch {code}'s roster request.",
        ),
        "roster.substitute_self": (
            "{name}（{id}）不能替换自己。换人请填写新来的人的身份证号；只是改信息请用“修改”。",
            "{name} ({id}) cannot replace themselves. Give the newcomer's ID number; to change details, use Edit.",
        ),
        "rollcall.not_arrived": (
            "批次 {code} {arrival} 才到达，现在还不能登记报到。",
            "Batch {code} arrives on {arrival}; attendance cannot be marked before.",
        ),
        "rollcall.future_day": (
            "批次 {code}：关闭报到的日期 {day} 还没到。请填今天或已过去的日期。",
            "Batch {code}: the closing day {day} has not come yet. Give today or a past day.",
        ),
        "rollcall.cancelled": (
            "批次 {code} 已取消，没有报到。",
            "Batch {code} was cancelled: it has no roll call.",
        ),
        "rollcall.left_on": (
            "批次 {code}：{name} 提前离开的日期应在 {first} 至 {last} 之间。",
            "Batch {code}: the day {name} left must be between {first} and {last}.",
        ),
        "rollcall.closed": (
            "批次 {code} 的报到已于 {day} 关闭。",
            "The roll call of batch {code} was closed on {day}.",
        ),
        "rollcall.too_early": (
            "批次 {code} {arrival} 才到达，报到还不能关闭。",
            "Batch {code} arrives on {arrival}; its roll call cannot be closed before.",
        ),
        # issue 21: the roll-call import, the check-in sheet and the roster commands (rollcall_import, cli)
        "rollcall.no_header": (
            "{path} 中找不到报到表的表头：需要“姓名”或“身份证号”一栏，以及“报到”或“离开日期”一栏。",
            "No roll-call header was found in {path}: it needs a name or ID number column, and an attendance "
            "or day-left column.",
        ),
        "rollcall.bad_id": (
            "第 {row} 行：身份证号一栏的“{value}”既不是完整号码，也不是后四位以上的数字。请改正，或清空这一格按姓名匹配。",
            "Row {row}: “{value}” in the ID number column is neither a whole number nor its last four or more "
            "digits. Correct it, or clear the cell to match by name.",
        ),
        "rollcall.wrong_id": (
            "第 {row} 行（{name}）：名单上没有身份证号为 {id} 的人。请核对号码，或清空这一格按姓名匹配。",
            "Row {row} ({name}): nobody on the roster has the ID number {id}. Check the number, or clear the "
            "cell to match by name.",
        ),
        "rollcall.id_name_differ": (
            "第 {row} 行：身份证号 {id} 是名单上的 {other}，这一行却写的是 {name}。请核对哪个对，改正后再导入。",
            "Row {row}: the ID number {id} is {other} on the roster, but the row names {name}. Check which is "
            "right and import again.",
        ),
        "rollcall.ambiguous": (
            "第 {row} 行：名单上有 {count} 人与“{who}”相符（{people}）。请在身份证号一栏填完整号码或更多位数以区分。",
            "Row {row}: {count:person|people} on the roster match “{who}” ({people}). Write the whole ID number, or "
            "more of its digits, to tell them apart.",
        ),
        "rollcall.no_match": (
            "第 {row} 行：名单上没有叫 {name} 的人{near}。请核对姓名或填写身份证号（或后四位）；不在名单上的人"
            "请先加入名单。",
            "Row {row}: nobody on the roster is called {name}{near}. Check the name or write the ID number (or "
            "its last four digits); add a person missing from the roster first.",
        ),
        "rollcall.near": ("（相近的有：{people}）", " (close: {people})"),
        "rollcall.nobody_named": (
            "第 {row} 行没有姓名也没有身份证号，无法对应到名单上的人。",
            "Row {row} has neither a name nor an ID number: it cannot be matched to the roster.",
        ),
        "rollcall.twice": (
            "第 {row} 行与第 {first} 行是同一个人（{name}）。请删去重复的一行。",
            "Row {row} is the same person as row {first} ({name}). Delete the repeated row.",
        ),
        "rollcall.bad_mark": (
            "第 {row} 行：报到一栏的“{value}”看不懂。请填 已报到、未到 或 提前离开（也可填 √ 或 ×；留空为暂不登记）。",
            "Row {row}: “{value}” in the attendance column is not understood. Write attended (√), absent (×) "
            "or left early, or leave it empty to record nothing yet.",
        ),
        "rollcall.bad_day": (
            "第 {row} 行：离开日期“{value}”不是日期。请写成 2021-05-11 或 5/11。",
            "Row {row}: the day left “{value}” is not a date. Write it as 2021-05-11 or 5/11.",
        ),
        "rollcall.day_outside": (
            "第 {row} 行：{name} 的离开日期 {day} 不在本批次的停留期内。提前离开的日期应在 {first} 至 {last} 之间；"
            "住满全程的请填“已报到”并清空离开日期。",
            "Row {row}: the day {name} left, {day}, is outside the stay. A day left early is between {first} "
            "and {last}; for someone who stayed to the end write attended and clear the date.",
        ),
        "rollcall.needs_day": (
            "第 {row} 行：{name} 提前离开，请在离开日期一栏写明哪一天（{first} 至 {last}）。",
            "Row {row}: {name} left early; write the day left ({first} to {last}).",
        ),
        "rollcall.no_show_day": (
            "第 {row} 行：{name} 标为未到，却写了离开日期 {day}。请改为“提前离开”，或清空离开日期。",
            "Row {row}: {name} is marked absent but has a day left, {day}. Mark them as left early, or clear "
            "the date.",
        ),
        "rollcall.refused": (
            "报到表有 {errors} 行有错误，没有登记任何报到情况（批次 {code}）。请改正后重新导入。",
            "Rows with errors: {errors}. Nothing was recorded for batch {code}; correct them and import again.",
        ),
        "rollcall.dry_run": (
            "批次 {code} 的报到表共 {rows} 行：已报到 {attended}，未到 {no_show}，提前离开 {left_early}，"
            "不变 {unchanged}，未填 {blank}。只检查，未写入。",
            "Roll call of batch {code}, {rows:row|rows}: attended {attended}, absent {no_show}, left early "
            "{left_early}, unchanged {unchanged}, left empty {blank}. Dry run: nothing written.",
        ),
        "rollcall.done": (
            "已登记批次 {code} 的报到表 {rows} 行：已报到 {attended}，未到 {no_show}，提前离开 {left_early}，"
            "不变 {unchanged}，未填 {blank}。",
            "Recorded the roll call of batch {code}, {rows:row|rows}: attended {attended}, absent {no_show}, "
            "left early {left_early}, unchanged {unchanged}, left empty {blank}.",
        ),
        "rollcall.closed_now": (
            "批次 {code} 的报到已关闭（{day}）：{count} 名未登记的人记为未到。",
            "The roll call of batch {code} is closed ({day}): {count:person|people} not marked recorded as "
            "absent.",
        ),
        "roster.substituted": (
            "批次 {code}：{new}（{id}）替换了 {old}。",
            "Batch {code}: {new} ({id}) replaced {old}.",
        ),
        "roster.moved": (
            "已把 {count} 人从 {source} 转到 {target}。",
            "{count:person|people} moved from {source} to {target}.",
        ),
        "roster.companion_yes": (
            "批次 {code}：{name} 记为随行家属。",
            "Batch {code}: {name} is a companion.",
        ),
        "roster.companion_no": (
            "批次 {code}：{name} 不再是随行家属。",
            "Batch {code}: {name} is no longer a companion.",
        ),
        "waiting.added": (
            "{name}（{id}）已加入批次 {code} 的候补，排第 {position} 位。",
            "{name} ({id}) is waiting for batch {code}, number {position} on the list.",
        ),
        "waiting.listed": (
            "批次 {code} 候补 {count} 人。",
            "{count:person|people} waiting for batch {code}.",
        ),
        "waiting.promoted": (
            "{name}（{id}）已从候补进入批次 {code} 的名单。",
            "{name} ({id}) moved from the waiting list onto the roster of batch {code}.",
        ),
        "cli.person_not_found": (
            "批次 {code} 的名单上没有身份证号为 {id} 的人。",
            "Nobody on the roster of batch {code} has the ID number {id}.",
        ),
        "cli.waiting_not_found": (
            "批次 {code} 的候补中没有身份证号为 {id} 的人（或已递补、已退出）。",
            "Nobody waiting for batch {code} has the ID number {id} (or they were placed or withdrew).",
        ),
        "cli.person_ambiguous": (
            "批次 {code} 中有 {count} 人的身份证号以 {id} 结尾（{people}）。请多写几位或写完整号码。",
            "{count:person|people} of batch {code} have ID numbers ending in {id} ({people}). Give more digits or "
            "the whole number.",
        ),
        "cli.bad_person_id": (
            "“{value}”不是身份证号，也不是其后四位以上的数字。",
            "“{value}” is neither an ID number nor its last four or more digits.",
        ),
        "cli.substitute_name": (
            "用身份证号替换时，请用 --name 写明新人的姓名；用名单文件时不要用 --name（姓名取自文件）。",
            "Replacing by an ID number needs --name with the newcomer's name; with a roster file leave out "
            "--name (the file gives it).",
        ),
        "cli.one_person_file": (
            "{path} 应只写一个人（新人），现有 {rows} 行。",
            "{path} should hold one person (the newcomer); it has {rows:row|rows}.",
        ),
        "cli.yes_no": ("“{value}”应为 yes 或 no。", "“{value}” should be yes or no."),
        "order.old_edition": (
            "批次 {batch}：基地“{base}”回复的是第 {edition} 版预订单，但现在有效的是第 {current} 版。请让基地确认第 {current} 版"
            "（预订单上的二维码写明版本），再登记。",
            "Batch {batch}: “{base}” answered edition {edition} of the order, but edition {current} is the one in force. "
            "Have the base confirm edition {current} (the QR code on the order gives the edition), then record it.",
        ),
        "order.no_answer_due": (
            "批次 {batch} 已不再在基地“{base}”安排接待（或已取消），这份预订单不需要基地回复；请发取消通知。",
            "Batch {batch} no longer uses “{base}” (or was cancelled): this order needs no answer from the base; "
            "send the cancellation notice.",
        ),
        "order.future_day": (
            "批次 {batch}，基地“{base}”：日期 {day} 不对——还没到的日子（或早于 2000 年）不能登记。请填实际发出或回复的日期。",
            "Batch {batch}, “{base}”: the date {day} cannot be recorded (it is after today, or before 2000). Give the "
            "day it was actually sent or answered.",
        ),
        "order.day_before_sent": (
            "批次 {batch}，基地“{base}”：日期 {day} 早于预订单发出的日期 {sent}。请核对日期。",
            "Batch {batch}, “{base}”: the date {day} is before the order was sent on {sent}. Check the date.",
        ),
        "order.decline_reason": (
            "批次 {batch}：请填写基地“{base}”拒绝的原因。",
            "Batch {batch}: give the reason “{base}” declined.",
        ),
        "order.amend_changes": (
            "批次 {batch}：请写明基地“{base}”确认时改了什么（如“只能提供 40 间房，原为 45 间”）。",
            "Batch {batch}: say what “{base}” changed when confirming (for example “40 rooms instead of 45”).",
        ),
        "order.blocker": ("{base}：{state}", "{base}: {state}"),
        "order.confirm_refused": (
            "{batch} 不能确认：以下基地还没有确认当前的预订单——{detail}。未发出或有变更的，请把预订单（或变更通知）"
            "发给基地并登记确认；基地已拒绝的，请在“基本信息”的每晚住宿和行程中改到其他基地，再给新基地发预订单。"
            "也可以在设置中把“预订单未确认时”改为“提醒”。",
            "{batch} cannot be confirmed: these bases have not confirmed the current order: {detail}. Where the "
            "order is not sent or has changed, send the order (or the change notice) and record the base's "
            "confirmation; where a base declined, move those nights and meals to another base (Details: lodging "
            "and itinerary) and send the new base its order. Or set “unconfirmed orders” to “warn” in the settings.",
        ),
        "order.confirm_warned": (
            "{batch} 已确认，但以下基地还没有确认当前的预订单：{detail}。",
            "{batch} is confirmed, but these bases have not confirmed the current order: {detail}.",
        ),
        "order.none_cancelled": (
            "批次 {batch} 没有发出过预订单，不需要取消通知。",
            "Batch {batch} never sent an order, so no cancellation notice is needed.",
        ),
        "order.nothing_changed": (
            "批次 {batch} 的预订单发出后没有变更，不需要变更通知。",
            "Nothing changed in batch {batch} since its orders were sent; no change notice is needed.",
        ),
        "order.listed": ("共 {count} 份预订单。", "{count:order|orders}."),
        "order.marked": (
            "预订单 {code}（{batch} · {base}）：{state}，第 {edition} 版。",
            "Order {code} ({batch} · {base}): {state}, edition {edition}.",
        ),
        "cli.bad_order_state": (
            "“{value}”不是预订单状态。可用：{choices}。",
            "“{value}” is not an order state. Use one of: {choices}.",
        ),
        "cli.bad_order_mark": (
            "“{value}”不能登记。可登记：{choices}。",
            "“{value}” cannot be recorded. Record one of: {choices}.",
        ),
        "cli.bad_sent_how": (
            "“{value}”不是发送方式。可用：{choices}。",
            "“{value}” is not a way of sending. Use one of: {choices}.",
        ),
        "cli.bad_period": (
            "开始日期 {first} 晚于结束日期 {last}。",
            "The first day {first} is after the last day {last}.",
        ),
        "cli.order_option": (
            "{option} 只能与 {what} 一起使用。",
            "{option} goes only with {what}.",
        ),
        "cert.bad_step": (
            "基地“{base}”的{level}认定当前为“{status}”，不能进行“{step}”。可进行：{allowed}。",
            "The {level} certification of “{base}” is “{status}”; “{step}” is not possible now. Possible: {allowed}.",
        ),
        "cert.needs_term": (
            "基地“{base}”：认定需要证书编号和有效期（起止日期）。",
            "Base “{base}”: a certification needs a certificate number and a validity term (from and to).",
        ),
        "cert.duplicate_open": (
            "基地“{base}”已有一个{level}认定在进行中或有效，请在原记录上操作。",
            "Base “{base}” already has a {level} certification in progress or valid; work on that one.",
        ),
        "cert.step_date": (
            "基地“{base}”的{level}认定：“{step}”的日期 {date} 早于上一步“{previous}”的日期 {previous_date}。"
            "请核对日期，“{step}”不能早于 {previous_date}。",
            "The {level} certification of “{base}”: the date of “{step}”, {date}, is before the previous step "
            "“{previous}” on {previous_date}. Check the date; “{step}” cannot be before {previous_date}.",
        ),
        "cert.step_future": (
            "基地“{base}”的{level}认定：“{step}”的日期 {date} 晚于今天（{today}），未保存。认定的每一步记录已经办理的日期，"
            "日后的步骤不能早于它；请核对日期（如 2025 误写成 2052），尚未办理的步骤请在办理当天或之后再记录。",
            "The {level} certification of “{base}”: the date of “{step}”, {date}, is after today ({today}); nothing "
            "was saved. A step records the date it was done, and later steps cannot be dated before it: check the "
            "date (2052 typed for 2025, say), and record a step that has not happened yet on or after the day it "
            "is done.",
        ),
        "cert.term": (
            "基地“{base}”：认定证书 {number} 的有效期至 {end} 早于有效期起 {start}，请核对证书上的有效期。",
            "Base “{base}”: certificate {number} is valid to {end}, before it is valid from {start}; check the "
            "validity on the certificate.",
        ),
        "route.item_day": (
            "线路“{route}”：第 {day} 天超出线路天数 {days}。",
            "Route “{route}”: day {day} is beyond the route's {days:day|days}.",
        ),
        "batch.overbooked_confirm": (
            "{batch}：不能确认，{detail}。请减少该晚人数、把部分人安排到其他基地或换日期后再确认。",
            "{batch} cannot be confirmed: {detail}. Lodge fewer people that night, move some to another base or "
            "change the dates, then confirm.",
        ),
        "batch.overbooked_save": (
            "{batch}：不能保存，因为 {detail}。已确认的批次占用床位，不能超出；请减少该晚人数、把部分人安排到其他"
            "基地或换日期，或者先把批次改回“计划”。",
            "{batch} cannot be saved: {detail}. A confirmed batch holds its beds and cannot overbook; lodge fewer "
            "people that night, move some to another base or change the dates, or set the batch back to planned "
            "first.",
        ),
        "batch.overbooked_status": (
            "{batch}：不能改为“{target}”，因为 {detail}。请减少该晚人数、把部分人安排到其他基地或换日期。",
            "{batch} cannot become “{target}”: {detail}. Lodge fewer people that night, move some to another "
            "base or change the dates.",
        ),
        "batch.lodging_night": (
            "{batch}：住宿日期 {night} 不在行程内（{arrival} 至 {departure} 的前一晚）。",
            "{batch}: the lodging night {night} is outside the stay ({arrival} to the night before {departure}).",
        ),
        "batch.quota_refused": (
            "{batch}：不能保存，{detail}（政策设置为超出配额时拒绝）。",
            "{batch} cannot be saved: {detail} (the policy refuses quota overruns).",
        ),
        "batch.item_day": (
            "{batch}：行程第 {day} 天超出批次天数 {days}。",
            "{batch}: day {day} of the itinerary is beyond the batch's {days:day|days}.",
        ),
        "batch.partner_agreements": ("该合作单位的协议", "the partner's agreements"),
        "batch.bad_status": (
            "批次 {code} 当前状态为“{status}”，不能改为“{target}”。",
            "Batch {code} is “{status}”; it cannot become “{target}”.",
        ),
        "batch.cancel_reason": (
            "批次 {code}：取消时必须填写原因。",
            "Batch {code}: a cancellation needs a reason.",
        ),
        "batch.closed_needs_reason": (
            "批次 {code} {status}，修改它（包括住宿和行程）需要填写原因，原因记入批次历史；未保存任何修改。",
            "Batch {code} is {status}: changing it (its lodging and itinerary included) needs a reason, "
            "recorded in the batch's history; nothing was saved.",
        ),
        "rule.uncertified": (
            "{base} {night}：住宿基地在该晚没有有效认定。",
            "{base} on {night}: the base holds no valid certification that night.",
        ),
        "rule.lodging_plan": (
            "{night}晚：住宿安排在 {lodged}，行程第 {day} 天却写入住 {planned}。请在“每晚住宿”中把该晚改为 {planned}，"
            "或在“行程”中把第 {day} 天的入住改为 {lodged}。打印的行程单、分房表和用餐人数以住宿安排为准。",
            "Night of {night}: the lodging is at {lodged}, but day {day} of the itinerary checks in at {planned}. "
            "Change that night's lodging to {planned}, or change day {day}'s check-in in the itinerary to "
            "{lodged}. The printed itinerary, rooming list and meal counts follow the lodging.",
        ),
        "rule.route_length": (
            "批次 {code}（{arrival} 至 {departure}）只有 {days} 天，线路“{route}”有 {route_days} 天："
            "行程只排了线路的前 {days} 天。请核对批次的日期，或换一条不超过 {days} 天的线路。",
            "Batch {code} ({arrival} to {departure}) has {days:day|days}, but the route “{route}” has "
            "{route_days:day|days}: the itinerary holds only the route's first {days:day|days}. Check the "
            "batch's dates, or choose a route of at most {days:day|days}.",
        ),
        "rule.quota_batches": (
            "协议 {number} {year} 年批次配额 {quota}，本批次计入后为 {count}，超出配额。",
            "Agreement {number}: {count:batch|batches} in {year} with this one, over the quota of {quota}.",
        ),
        "rule.quota_people": (
            "协议 {number} {year} 年人数配额 {quota}，本批次计入后为 {count} 人，超出配额。",
            "Agreement {number}: {count:person|people} in {year} with this one, over the quota of {quota}.",
        ),
        "rule.outside_term": (
            "批次 {code} 的日期 {arrival} 至 {departure} 不在协议 {number} 的有效期 {start} 至 {end} 内。",
            "Batch {code} ({arrival} to {departure}) is outside agreement {number}'s term {start} to {end}.",
        ),
        "rule.roster_count": (
            "批次 {code}：名单 {roster} 人，与计划人数 {headcount} 人不符。",
            "Batch {code}: the roster has {roster:person|people}, the planned headcount is {headcount}.",
        ),
        "rule.cycle": (
            "{name}（身份证号 {id}）还在批次 {other}（{dates}）中，两次相隔不足 {days} 天。",
            "{name} (ID {id}) is also in batch {other} ({dates}), less than {days:day|days} apart.",
        ),
        "roster.duplicate": (
            "批次 {code} 中已有身份证号为 {id} 的团员（{name}）。",
            "Batch {code} already has a participant with ID {id} ({name}).",
        ),
    }
)

CATALOGUE.update(
    {
        "import.missing_file": ("文件 {path} 不存在。", "The file {path} does not exist."),
        "import.unreadable": (
            "无法读取 {path}：文件可能已损坏，或不是 Excel（.xlsx/.xls）、.ods 或 CSV 表格。请用 Excel 或 WPS "
            "打开后另存为 .xlsx 再导入（技术信息：{reason}）。",
            "Cannot read {path}: it may be damaged, or not an Excel (.xlsx/.xls), .ods or CSV table. Open it in "
            "Excel or WPS, save it as .xlsx and import it again (technical detail: {reason}).",
        ),
        "import.damaged": (
            "{path} 不完整或已损坏（可能没有下载完整，或复制时中断），无法读取。请重新下载，或请对方重新发送"
            "（技术信息：{reason}）。",
            "{path} is incomplete or damaged (perhaps it was not fully downloaded or copied) and cannot be read. "
            "Download it again or ask the sender for a new copy (technical detail: {reason}).",
        ),
        "import.empty_file": (
            "{path} 是空文件（0 字节），可能没有下载完整。请重新下载，或请对方重新发送。",
            "{path} is empty (0 bytes); perhaps it was not fully downloaded. Download it again or ask the "
            "sender for a new copy.",
        ),
        "import.password": (
            "{path} 设有打开密码，无法读取。请在 Excel 或 WPS 中输入密码打开它，另存一份不设密码的副本，再导入"
            "这份副本。",
            "{path} is protected by a password and cannot be read. Open it in Excel or WPS with the password, "
            "save a copy without a password and import the copy.",
        ),
        "import.unsupported_format": (
            "{path} 是{format}，本程序无法读取。请用 Excel、WPS 或 LibreOffice 打开，另存为 .xlsx、.xls、.ods "
            "或 CSV 后再导入。",
            "{path} is {format}, which this program cannot read. Open it in Excel, WPS or LibreOffice, save it as "
            ".xlsx, .xls, .ods or CSV and import it again.",
        ),
        "import.format.fods": (
            "一份 LibreOffice 平面 XML 表格（.fods）",
            "a LibreOffice flat XML spreadsheet (.fods)",
        ),
        "import.format.numbers": (
            "一份苹果 Numbers 表格（.numbers）",
            "an Apple Numbers spreadsheet (.numbers)",
        ),
        "import.format.html": (
            "一个网页（HTML）文件，不是真正的 Excel 表格（有些系统导出的“.xls”其实是网页）",
            "a web page (HTML), not a real Excel workbook (some systems export web pages named .xls)",
        ),
        "import.format.xml2003": ("一份 Excel 2003 XML 表格", "an Excel 2003 XML spreadsheet"),
        "import.format.xml": ("一个 XML 文件", "an XML file"),
        "import.format.pdf": ("一个 PDF 文件", "a PDF file"),
        "import.format.word": ("一份 Word 文档", "a Word document"),
        "import.format.archive": (
            "一个压缩包（请先解压，再导入其中的表格）",
            "a compressed archive (unpack it first and import the spreadsheet inside)",
        ),
        "import.format.unknown": ("一个无法识别格式的文件", "a file of an unrecognised format"),
        "import.encoding": (
            "{path} 的文字编码无法识别（不是 UTF-8、UTF-16 或 GBK）。请用 Excel 另存为“CSV UTF-8（逗号分隔）”"
            "或 .xlsx 后再导入。",
            "The text encoding of {path} is not recognised (it is not UTF-8, UTF-16 or GBK). Save it from Excel "
            "as “CSV UTF-8 (Comma delimited)” or .xlsx and import it again.",
        ),
        "import.csv_broken": (
            "{path} 第 {line} 行附近的 CSV 格式有误（引号不成对，或一个单元格过长），无法读取。请用 Excel 打开"
            "检查后另存为 .xlsx 再导入（技术信息：{reason}）。",
            "{path} is not valid CSV near line {line} (a quote without its pair, or a cell far too long). Open "
            "it in Excel, check it, save it as .xlsx and import it again (technical detail: {reason}).",
        ),
        "import.too_large": (
            "{path} 有 {size} MB，超过 {limit} MB，不像一份名单或登记表；请只保留需要的行，另存后再导入。",
            "{path} is {size} MB, more than {limit} MB: too big for a roster or a register. Keep only the rows "
            "needed, save it and import it again.",
        ),
        "import.not_what_it_says": (
            "{path} 的扩展名是 {suffix}，但内容不是这种文件。请用 Excel 另存为 .xlsx 后再导入。",
            "{path} is named {suffix} but is not such a file. Save it from Excel as .xlsx and import it again.",
        ),
        "import.too_many_rows": (
            "{path} 的工作表“{sheet}”超过 {limit} 行，不像一份名单；请只保留名单所在的行。",
            "The sheet “{sheet}” of {path} has more than {limit} rows, too many for a roster; keep only its rows.",
        ),
        # bounded reading (recuperation/sheet_budget.py, recuperation/sheets_child.py)
        "import.far_cell": (
            "{path} 的工作表“{sheet}”中 {cell} 单元格有内容，离表格很远（{where}）；请删除多余的单元格后另存，再导入。",
            "The sheet “{sheet}” of {path} has something in cell {cell}, far from the table ({where}); delete the "
            "stray cells, save the file and import it again.",
        ),
        "import.far.rows": ("超过 {limit} 行", "past row {limit}"),
        "import.far.columns": (
            "表格区域因此超过 {limit} 个单元格",
            "which makes the table over {limit} cells",
        ),
        "import.sheet_extent": (
            "{path} 的工作表“{sheet}”声明的范围一直到 {cell} 单元格（{count} 个单元格），远超一份名单或登记表；"
            "请删除多余的行和列（或把需要的部分复制到新工作簿），另存后再导入。",
            "The sheet “{sheet}” of {path} declares a range up to cell {cell} ({count} cells), far beyond a "
            "roster or register; delete the unused rows and columns (or copy what is needed into a new "
            "workbook), save it and import it again.",
        ),
        "import.too_many_cells": (
            "{path} 的表格共 {count} 个单元格，超过 {limit} 个，不像一份名单或登记表；请只保留需要的工作表、行和列，"
            "另存后再导入。",
            "The tables of {path} hold {count} cells, more than {limit}: not a roster or register. Keep only "
            "the sheets, rows and columns needed, save it and import it again.",
        ),
        "import.text_bomb": (
            "{path} 的单元格文字合计超过 {limit} MB（同一段长文字被大量单元格重复，或有极长的空白），远超一份名单"
            "或登记表，可能是被恶意构造的文件，本程序不读取。",
            "The cells of {path} hold more than {limit} MB of text (one long text repeated in many cells, or "
            "endless blanks), far beyond a roster or register and possibly built to do harm; it is not read.",
        ),
        "import.zip_bomb": (
            "{path} 解压后有 {size} MB（压缩比 {ratio}:1），远超一份名单或登记表，可能是被恶意构造的“压缩炸弹”，"
            "本程序不读取。",
            "{path} unpacks to {size} MB (compressed {ratio} to 1), far beyond a roster or register and "
            "possibly a “zip bomb” built to do harm; it is not read.",
        ),
        "import.constructed": (
            "{path} 的内部结构自相矛盾（{detail}），不像 Excel、WPS 或 LibreOffice 保存的文件，可能已损坏或被恶意"
            "构造，本程序不读取。请用 Excel 或 WPS 打开后另存为 .xlsx 再导入。",
            "The inner structure of {path} contradicts itself ({detail}); no Excel, WPS or LibreOffice saves "
            "that, so it is damaged or built to do harm and is not read. Open it in Excel or WPS, save it as "
            ".xlsx and import it again.",
        ),
        "import.why.shared_count": (
            "共享字符串表声称有 {claimed} 项，实际只有 {actual} 项",
            "its shared-string table claims {claimed} entries and holds {actual}",
        ),
        "import.why.entries": (
            "压缩包有 {count} 个部件，超过 {limit} 个",
            "its archive has {count} parts, more than {limit}",
        ),
        "import.why.overlap": (
            "压缩包中的部件 {first} 和 {second} 共用同一段数据",
            "the parts {first} and {second} of its archive share the same data",
        ),
        "import.why.size_lie": (
            "部件 {part} 解压后的大小与目录记录的 {declared} 字节不符",
            "the part {part} does not unpack to the {declared} bytes its directory gives",
        ),
        "import.why.long_run": (
            "部件 {part} 中有超过 {size} MB 的连续内容没有任何标记",
            "the part {part} holds more than {size} MB without any markup",
        ),
        "import.why.nesting": (
            "部件 {part} 中有单元格套着单元格，或同一属性写了两次",
            "the part {part} has a cell inside a cell, or an attribute given twice",
        ),
        "import.why.record": (
            "部件 {part} 中有记录的长度超出了部件本身",
            "a record of the part {part} runs past its end",
        ),
        "import.why.chain_loop": (
            "文件的扇区链首尾相连，读取永远不会结束",
            "a chain of sectors in the file loops on itself, so reading it would never end",
        ),
        "import.why.method": (
            "部件 {part} 使用了 Excel 和 LibreOffice 都不用的压缩方式或加密（方式 {method}）",
            "the part {part} is compressed or encrypted in a way neither Excel nor LibreOffice uses (method "
            "{method})",
        ),
        "import.why.ole_counts": (
            "文件头声明的表项数量超出了文件本身",
            "its header announces more tables than the file holds",
        ),
        "import.reader_crashed": (
            "读取 {path} 时，读取程序异常终止（{detail}）。文件可能已损坏或被恶意构造；本程序和未保存的修改不受影响。"
            "请用 Excel 或 WPS 打开后另存为 .xlsx 再导入。",
            "The reader stopped abnormally on {path} ({detail}). The file may be damaged or built to do harm; "
            "this program and unsaved edits are not affected. Open it in Excel or WPS, save it as .xlsx and "
            "import it again.",
        ),
        "import.csv_too_wide": (
            "{path} 的第 {line} 行有 {count} 个分隔符（超过 {limit} 列），不像一份名单或登记表；请用 Excel 打开"
            "检查后另存，再导入。",
            "Line {line} of {path} holds {count} delimiters (more than {limit} columns): not a roster or "
            "register. Open it in Excel, check it, save it and import it again.",
        ),
        "import.reader_memory": ("所需内存超过 {limit} MB", "it needed more than {limit} MB of memory"),
        "import.reader_signal": ("退出代码 {code}", "exit status {code}"),
        "import.reader_timeout": (
            "读取 {path} 超过 {seconds} 秒仍未完成，已经停止。文件可能已损坏或被恶意构造；本程序和未保存的修改不受"
            "影响。请用 Excel 或 WPS 打开后另存为 .xlsx 再导入。",
            "Reading {path} took more than {seconds} seconds and was stopped. The file may be damaged or built "
            "to do harm; this program and unsaved edits are not affected. Open it in Excel or WPS, save it as "
            ".xlsx and import it again.",
        ),
        "register.no_header": (
            "在 {path} 中找不到登记表的标题行（至少要有这些列：{needed}）。可以先保存一份模板对照。",
            "No header row found in {path} (the register needs at least these columns: {needed}). Save a "
            "template to compare.",
        ),
        "register.unknown": (
            "没有“{kind}”这种登记表，可选：{kinds}。",
            "There is no register “{kind}”; choose one of {kinds}.",
        ),
        "register.bad_date": (
            "“{value}”不是日期，请写成 2021-03-31 或 2021年3月31日",
            "“{value}” is not a date; write it as 2021-03-31",
        ),
        "register.bad_range": (
            "“{value}”不是起止日期，请写成 2021-03-31至2021-04-02 或分成到达、离开两列",
            "“{value}” is not a stay; write it as 2021-03-31至2021-04-02 or use arrival and departure columns",
        ),
        "register.bad_number": ("“{value}”不是整数", "“{value}” is not a whole number"),
        "register.bad_choice": (
            "“{value}”不是可选的值（可选：{allowed}）",
            "“{value}” is not one of {allowed}",
        ),
        "register.cell": ("第 {row} 行“{header}”：{detail}。", "Row {row}, “{header}”: {detail}."),
        "register.missing": (
            "第 {row} 行缺少“{header}”，请补上。",
            "Row {row} has no “{header}”; fill it in.",
        ),
        "register.cert_term": (
            "第 {row} 行：基地“{base}”有认定级别，但缺少有效期起止日期，请补上。",
            "Row {row}: the base “{base}” has a certification level but no validity dates; fill them in.",
        ),
        "register.cert_term_order": (
            "第 {row} 行：基地“{base}”的认定证书有效期至 {end} 早于有效期起 {start}，请核对证书上的有效期。",
            "Row {row}: the certificate of the base “{base}” is valid to {end}, before it is valid from {start}; "
            "check the validity on the certificate.",
        ),
        "register.cert_taken": (
            "第 {row} 行：证书编号 {number} 已属于另一个基地，请核对。",
            "Row {row}: the certificate number {number} belongs to another base; check it.",
        ),
        "register.duplicate": (
            "第 {row} 行与第 {first} 行是同一条记录（{key}），请合并成一行。",
            "Row {row} is the same record as row {first} ({key}); merge them into one row.",
        ),
        "register.db_refused": (
            "数据库拒绝了这条记录（{detail}），请核对这一行。",
            "The database refused this record ({detail}); check the row.",
        ),
        "register.imported": ("由登记表导入", "imported from a register"),
        "register.no_base": (
            "第 {row} 行：没有名为“{name}”的基地，请先导入或新建基地，或改正名称。",
            "Row {row}: there is no base named “{name}”; import or create the base first, or correct the name.",
        ),
        "register.no_partner": (
            "第 {row} 行：没有名为“{name}”的合作单位，请先导入合作单位，或改正名称。",
            "Row {row}: there is no partner named “{name}”; import the partners first, or correct the name.",
        ),
        "register.no_agreement": (
            "第 {row} 行：没有编号为“{number}”的协议。",
            "Row {row}: there is no agreement numbered “{number}”.",
        ),
        "register.no_route": (
            "第 {row} 行：没有编号或名称为“{name}”的线路，请先导入线路，或改正。",
            "Row {row}: there is no route with the code or name “{name}”; import the routes first, or correct it.",
        ),
        "register.done": (
            "{register}：读取 {rows} 行，新增 {new}，修改 {changed}，未变 {unchanged}。",
            "{register}: {rows:row|rows} read, {new} new, {changed} changed, {unchanged} unchanged.",
        ),
        "register.dry_run": (
            "{register}：读取 {rows} 行，将新增 {new}，修改 {changed}，未变 {unchanged}，错误 {errors} 处（试运行，未写入）。",
            "{register}: {rows:row|rows} read; would add {new}, change {changed}, leave {unchanged}; {errors:error|errors} "
            "(dry run, nothing written).",
        ),
        "register.refused": (
            "登记表有 {errors} 行错误，未导入任何数据。可修正后重新导入，或只导入正确的行（--skip-invalid）。",
            "{errors:row of the register has|rows of the register have} errors; nothing was imported. Correct them, or import only the "
            "valid rows (--skip-invalid).",
        ),
        "register.name.bases": ("疗休养基地", "Bases"),
        "register.name.partners": ("合作单位与协议", "Partners and agreements"),
        "register.name.routes": ("线路", "Routes"),
        "register.name.batches": ("批次", "Batches"),
        "register.name.roster": ("名单", "Roster"),
        "register.change.certification": ("认定", "certification"),
        "register.change.items": ("日程", "day plan"),
        "register.change.lodging": ("住宿", "lodging"),
        "register.change.status": ("状态", "status"),
        "register.change.price": ("价格", "price"),
        "register.change.agreement": ("协议", "agreement"),
        "register.change.roster": ("名单", "roster"),
        "register.change.detail": ("{what}（{detail}）", "{what} ({detail})"),
        "register.or": ("或", "or"),
        "register.bad_amount": (
            "“{value}”不是金额：请写元为单位的数字，如 260 或 1,260.50。",
            "“{value}” is not an amount: write yuan as a number, such as 260 or 1,260.50.",
        ),
        "register.roster_unmatched": (
            "工作表“{sheet}”像一个批次的名单，但登记表中没有这个批次：它不会被导入。请在登记表中加上该批次，"
            "或删除这个工作表后再导入。",
            "The sheet “{sheet}” looks like a batch's roster but the register has no such batch: it would not be "
            "imported. Add the batch to the register, or delete the sheet, and import again.",
        ),
        "register.roster_refused": (
            "批次 {code} 的名单有 {errors} 行不能导入，未导入任何数据。第一处是第 {row} 行：{detail}",
            "{errors:row|rows} of the roster of batch {code} cannot be imported; nothing was imported. The first, "
            "row {row}: {detail}",
        ),
        "register.several_bases": (
            "第 {row} 行：这个批次的日期或人数改了，住宿基地写了几个（{names}）：几个基地的每晚住宿请在批次页的"
            "“每晚住宿”中重新安排；登记表中只写一个基地时，每晚都住那里。",
            "Row {row}: the batch's dates or headcount changed and several lodging bases are named ({names}): "
            "arrange the nights at several bases on the batch page; one base named in the register lodges the "
            "group there every night.",
        ),
        "register.lodging_replan": (
            "第 {row} 行：日期改了，而这个批次原来住在几个基地，每晚住宿不能照搬：请加上“住宿基地”列写一个基地，"
            "或在批次页的“每晚住宿”中重新安排。",
            "Row {row}: the dates changed and the batch lodged at several bases, so its nights cannot be moved as "
            "they are: add a 住宿基地 column naming one base, or arrange the nights on the batch page.",
        ),
        "register.roster_of": ("批次 {code} 的名单", "roster of {code}"),
        "register.roster_problem": (
            "批次 {code} 名单第 {row} 行：{detail}",
            "Roster of {code}, row {row}: {detail}",
        ),
        "template.roster_with_data": (
            "名单请用 roster export 导出（--with-data 只用于登记表）。",
            "Export a roster with roster export (--with-data is for the registers).",
        ),
        "template.done": ("模板已保存到 {path}。", "Template saved to {path}."),
        "import.no_header": (
            "在 {path} 中找不到名单的标题行（至少要有“姓名”和“身份证号”两列）。",
            "No header row found in {path} (a roster needs at least the columns 姓名 and 身份证号).",
        ),
        "import.name_missing": ("姓名为空。", "The name is empty."),
        "import.duplicate_in_file": (
            "身份证号 {id} 在第 {first} 行已出现过。",
            "The ID number {id} already appears on row {first}.",
        ),
        "import.sex_mismatch": (
            "性别填的是“{given}”，身份证号表明是“{derived}”。",
            "The sex given is “{given}” but the ID number says “{derived}”.",
        ),
        "import.phone": ("手机号“{value}”无效。", "The phone “{value}” is invalid."),
        "import.too_long": ("{label}超过 {max} 个字符。", "{label} is longer than {max} characters."),
        "import.control_chars": (
            "{label}含有不可见的控制字符（{char}），请删除后重新导入。",
            "The {label} contains an invisible control character ({char}); remove it and import again.",
        ),
        "import.name_label": ("姓名", "name"),
        "import.refused": (
            "名单有 {errors} 行错误，未导入任何数据。可修正后重新导入，或只导入正确的行（--skip-invalid）。",
            "{errors:row has|rows have} errors; nothing was imported. Correct them, or import only the valid rows "
            "(--skip-invalid).",
        ),
        "import.done": (
            "批次 {code}：读取 {rows} 行，新增 {added}，删除 {removed}，修改 {changed}。",
            "Batch {code}: {rows:row|rows} read, {added} added, {removed} removed, {changed} changed.",
        ),
        "import.dry_run": (
            "批次 {code}：读取 {rows} 行，正确 {valid} 行，错误 {errors} 处，提醒 {warnings} 处（试运行，未写入）。",
            "Batch {code}: {rows:row|rows} read, {valid} valid, {errors:error|errors}, {warnings:warning|warnings} (dry run, "
            "nothing written).",
        ),
        "import.stale": (
            "批次 {code} 的名单在预览之后已被修改，请重新读取文件再导入。",
            "The roster of batch {code} changed after the preview; read the file again and import.",
        ),
        "import.masked_unknown": (
            "身份证号 {value} 隐去了中间几位，本批次名单中没有号码相符的“{name}”；新加入的人请填写完整的身份证号。",
            "The ID number {value} is masked and no “{name}” with a matching number is on the roster of "
            "this batch; give a newcomer's full ID number.",
        ),
        "import.masked_ambiguous": (
            "身份证号 {value} 隐去了中间几位，本批次名单中有 {count} 位“{name}”与之相符，无法确定是哪一位；"
            "请填写完整的身份证号。",
            "The ID number {value} is masked and {count:person|people} called “{name}” on the roster match it; give "
            "the full ID number.",
        ),
        "import.masked_phone": (
            "手机号 {value} 隐去了中间几位，与名单中“{name}”的手机号对不上；要修改手机号请填写完整号码。",
            "The phone {value} is masked and does not match the phone of “{name}” on the roster; give the full "
            "number to change it.",
        ),
        "import.masked_text": (
            "{label}“{value}”中的号码隐去了中间几位，且内容与名单中的不同；请保留导出时的原样，"
            "或把号码填写完整后再修改。",
            "The {label} “{value}” holds masked numbers and differs from the roster; leave it as it was "
            "exported, or write the numbers in full to change it.",
        ),
        "import.removals_need_consent": (
            "导入后将从批次 {code} 的名单中删除 {count} 人（{names}），未导入任何数据。确需删除时请确认删除并"
            "填写原因（命令行：--allow-removals --reason 原因）；文件中读不出的行不会删除任何人。",
            "Importing would remove {count:person|people} from the roster of batch {code} ({names}); nothing was "
            "imported. To remove them, confirm the removal and give a reason (command line: --allow-removals "
            "--reason TEXT); a row that cannot be read never removes anyone.",
        ),
        "import.removals_need_reason": (
            "从批次 {code} 的名单中删除 {count} 人需要填写原因（--reason），原因记入批次历史；未导入任何数据。",
            "Removing {count:person|people} from the roster of batch {code} needs a reason (--reason), recorded in "
            "the batch's history; nothing was imported.",
        ),
        "import.closed_needs_reason": (
            "批次 {code} {status}，修改它的名单需要填写原因（--reason），原因记入批次历史；未导入任何数据。",
            "Batch {code} is {status}: changing its roster needs a reason (--reason), recorded in the batch's "
            "history; nothing was imported.",
        ),
        "import.closed_status.completed": ("已完成", "completed"),
        "import.closed_status.cancelled": ("已取消", "cancelled"),
        "import.masked_matched": (
            "其中 {count} 人的身份证号隐去了中间几位，已按号码两端和姓名与名单中的人对上。",
            "{count:row|rows} had masked ID numbers and were matched to people on the roster by the digits shown "
            "and the name.",
        ),
        "import.kept_unreadable": (
            "名单中有 {count} 人文件里找不到对应的正确行，但文件中有同名而读不出的行，因此保留，不删除。",
            "Kept on the roster, not removed: {count:person|people} with no readable row in the file but the name "
            "of a row that cannot be read.",
        ),
        "import.would_remove": (
            "导入将从批次 {code} 的名单中删除 {count} 人（{names}）；实际导入时须加 --allow-removals 并用 --reason "
            "写明原因。",
            "Importing would remove {count:person|people} from the roster of batch {code} ({names}); the import itself "
            "needs --allow-removals and a --reason.",
        ),
        "import.masked_renamed": (
            "身份证号 {value} 与名单中的“{old}”相符，姓名改为“{name}”：请确认是同一人（不是的话请填写完整身份证号）。",
            "The ID number {value} fits “{old}” on the roster and the name becomes “{name}”: make sure this is the "
            "same person (if not, give the full ID number).",
        ),
        "import.duplicate_later": (
            "身份证号 {id} 在第 {other} 行又出现一次：两行都不导入，请核对是谁的号码。",
            "The ID number {id} appears again on row {other}: neither row is imported; check whose number it is.",
        ),
        "import.name_changed": (
            "身份证号 {id} 在名单中是“{old}”，文件中是“{name}”：导入后姓名将改为“{name}”，请确认是同一人。",
            "The ID number {id} belongs to “{old}” on the roster but reads “{name}” in the file: the name will "
            "change to “{name}”; make sure this is the same person.",
        ),
        "import.bad_flag": (
            "{label}一栏的“{value}”看不懂：请填“是”或“否”（留空为否）。",
            "{label}: “{value}” is not understood; write 是 (yes) or 否 (no), or leave it empty for no.",
        ),
        "import.no_batch_sheet": (
            "这个工作簿每个批次一个工作表（{sheets} …），但没有以 {code} 开头的工作表；请选择批次 {code} 自己的名单，"
            "不会改用别的批次的工作表。",
            "This workbook has one sheet per batch ({sheets} …) but none starting with {code}; choose the roster of "
            "batch {code} itself: another batch's sheet is never used instead.",
        ),
        "import.csv_quote": (
            "{path} 第 {line} 行有一个没有配对的引号，后面几行被读成了一个单元格，未导入任何数据。请改正这个引号"
            "（或在 Excel 中打开后重新另存为 CSV）再导入。",
            "{path} has an unmatched quote on line {line}: the lines after it were read as one cell; nothing was "
            "imported. Correct the quote (or open the file in Excel and save it as CSV again) and import again.",
        ),
        "import.more_names": ("等 {count} 人", "({count} in all)"),
        "route.unknown_code": ("找不到编号为 {code} 的线路。", "No route has the code {code}."),
        "print.done": ("已生成 {path}。", "Written: {path}."),
        "print.no_font": (
            "没有找到可嵌入的中文字体（如文泉驿微米黑、微软雅黑）：PDF 使用内置字体，只有安装了中文字体的查看器"
            "才能显示中文。请在设置中选择字体文件，或安装 fonts-wqy-microhei。",
            "No embeddable Chinese font was found (such as WenQuanYi Micro Hei or Microsoft YaHei): the PDF uses a "
            "built-in font and shows Chinese only where the viewer has Chinese fonts. Choose a font file in the "
            "settings, or install fonts-wqy-microhei.",
        ),
        "print.missing_chars": (
            "字体中缺少以下文字，打印时会显示为空白：{places}",
            "The font lacks these characters, which print as blanks: {places}",
        ),
        "print.unprintable": (
            "第 {row} 人的{field}“{text}”中的 {codes}",
            "{codes} in the {field} “{text}” of person {row}",
        ),
        "print.missing_more": ("共 {count} 处", "{count:place|places} in all"),
        "print.field.name": ("姓名", "name"),
        "print.field.employer": ("单位", "employer"),
        "export.done": ("已导出 {rows} 人到 {path}。", "{rows:person|people} exported to {path}."),
        "export.done_batches": (
            "已导出 {rows} 个批次到 {path}。",
            "{rows:batch|batches} exported to {path}.",
        ),
        "batch.unknown_code": ("找不到编号为 {code} 的批次。", "No batch has the code {code}."),
        "request.no_batches": ("请至少写一个批次编号。", "Name at least one batch."),
        "request.too_many": (
            "一份名单报送表最多包含 {max} 个批次，这次有 {count} 个；请分成几份。",
            "A roster request holds at most {max} batches, not {count}; split it into several.",
        ),
        "request.closed": (
            "批次 {code} {status}，不再需要报送名单。",
            "Batch {code} is {status}: no roster is requested for it any more.",
        ),
        "request.done": (
            "名单报送表已保存到 {path}：{batches} 个批次，共 {rows} 行待填写。",
            "Roster request saved to {path}: {batches:batch|batches}, {rows:row|rows} to fill in.",
        ),
        "request.has_roster": (
            "批次 {codes} 已有名单：按报送表重新填写后导入时，表中没有的人会被列为删除（须确认并写明原因）。",
            "Batches {codes} already have a roster: when the filled-in request is imported, whoever it leaves out "
            "is listed for removal (which needs consent and a reason).",
        ),
    }
)


# rate cards (价目表) and costs: recuperation/services/rates.py, recuperation/money.py, recuperation/rates_workbook.py
CATALOGUE.update(
    {
        "rate.card_term": (
            "价目表“{card}”（{base}）：有效期至 {end} 早于有效期起 {start}，请改正日期。",
            "Rate card “{card}” ({base}): it is valid to {end}, before it is valid from {start}; correct the dates.",
        ),
        "rate.card_early": (
            "价目表“{card}”（{base}）：日期 {day} 早于 2000 年，不能登记（多半是输错了）。请改正有效期。",
            "Rate card “{card}” ({base}): the date {day} is before 2000 and cannot be recorded (most likely a "
            "typing slip). Correct the validity.",
        ),
        "rate.card_overlap": (
            "基地“{base}”的价目表“{card}”（{start} 至 {end}）与价目表“{other}”（{other_start} 至 {other_end}）的"
            "有效期重叠：一个基地在同一天只能有一份价目表。请调整其中一份的有效期，如让新的一份从旧的一份结束的次日开始。",
            "The rate card “{card}” of “{base}” ({start} to {end}) overlaps the rate card “{other}” ({other_start} "
            "to {other_end}): a base has one rate card on any day. Change the dates of one of them, the new one "
            "starting the day after the old one ends, say.",
        ),
        "rate.uscc_invalid": (
            "价目表“{card}”（{base}）：开票单位的统一社会信用代码“{value}”无效（{reason}），请按对方的发票或营业执照"
            "核对这 18 位代码。",
            "Rate card “{card}” ({base}): the invoicing unit's unified social credit code “{value}” is invalid "
            "({reason}); check the 18 characters against its invoice or business licence.",
        ),
        "rate.bad_tax": (
            "价目表“{card}”（{base}）：税率 {value} 无效，应在 0% 到 30% 之间（如 6%、3%、1%）。",
            "Rate card “{card}” ({base}): the tax rate {value} is invalid; it lies between 0% and 30% (6%, 3%, "
            "1% …).",
        ),
        "rate.meal_item": (
            "价目表“{card}”（{base}）：餐饮的项目“{value}”应为早餐、午餐或晚餐。",
            "Rate card “{card}” ({base}): the item of a meal, “{value}”, must be breakfast, lunch or dinner.",
        ),
        "rate.unit_for_kind": (
            "价目表“{card}”（{base}）：{kind}“{item}”不能按“{unit}”计价（可选：{allowed}）。",
            "Rate card “{card}” ({base}): the {kind} “{item}” cannot be priced “{unit}” (choose: {allowed}).",
        ),
        "rate.bad_price": (
            "价目表“{card}”（{base}）：{item}的单价 {value} 元无效，应在 0 到 {max} 元之间，请核对。",
            "Rate card “{card}” ({base}): the unit price of {item}, {value} yuan, is invalid; it lies between 0 "
            "and {max} yuan. Check it.",
        ),
        "rate.season_half": (
            "价目表“{card}”（{base}）：{item}的季节要同时填写起止两个日期（都不填表示整个有效期）。",
            "Rate card “{card}” ({base}): the season of {item} needs both its first and its last day (neither "
            "means the whole validity).",
        ),
        "rate.season_order": (
            "价目表“{card}”（{base}）：{item}的季节止 {last} 早于季节起 {first}，请改正日期。",
            "Rate card “{card}” ({base}): the season of {item} ends on {last}, before it begins on {first}; "
            "correct the dates.",
        ),
        "rate.season_outside": (
            "价目表“{card}”（{base}）：{item}的季节 {first} 至 {last} 超出了价目表的有效期 {start} 至 {end}。"
            "请把季节放在有效期之内，或调整价目表的有效期。",
            "Rate card “{card}” ({base}): the season of {item}, {first} to {last}, lies outside the card's "
            "validity, {start} to {end}. Keep the season inside it, or change the card's validity.",
        ),
        "rate.line_overlap": (
            "价目表“{card}”（{base}）：{item}有两个价格同时适用（{one}；{two}）。同一项目在同一天只能有一个价格："
            "不写季节的一行是整个有效期的价格，各季节的日期不能重叠。请删去或合并其中一行。",
            "Rate card “{card}” ({base}): two prices of {item} apply on the same days ({one}; {two}). An item has "
            "one price on any day: the line without a season is the price of the whole validity, and seasons do "
            "not overlap. Delete or merge one of the lines.",
        ),
        "rate.no_card": (
            "{base} {day}：没有有效的价目表，{item} 无法计价。请为这个基地添加涵盖这一天的价目表。",
            "{base} {day}: no rate card is valid, so {item} has no price. Add a rate card of the base covering "
            "the day.",
        ),
        "rate.no_price": (
            "{base} {day}：价目表“{card}”中没有 {item} 的价格，请在价目表中补上。",
            "{base} {day}: the rate card “{card}” has no price for {item}; add it to the card.",
        ),
        "money.not_amount": (
            "“{value}”不是金额：请写以元为单位的数字，如 380 或 1,260.50。",
            "“{value}” is not an amount: write yuan as a number, such as 380 or 1,260.50.",
        ),
        "money.fraction_of_fen": (
            "金额“{value}”超过两位小数：请写到分为止，如 380.50。",
            "The amount “{value}” has more than two decimals: write it to the fen, such as 380.50.",
        ),
        "money.negative": ("金额“{value}”不能为负数。", "The amount “{value}” cannot be negative."),
        "money.too_large": (
            "金额“{value}”太大（单价最多 1,000,000 元），请核对。",
            "The amount “{value}” is too large (a price is at most 1,000,000 yuan); check it.",
        ),
        "money.bad_rate": (
            "税率“{value}”无效：请写 0% 到 30% 之间的百分数，如 6%、3%、1%（最多两位小数）。",
            "The tax rate “{value}” is invalid: write a percentage from 0% to 30%, such as 6%, 3% or 1% (at most "
            "two decimals).",
        ),
        "money.above_most": (
            "金额“{value}”太大（最多 {most} 元），请核对是否多输了位数。",
            "The amount “{value}” is too large (at most {most} yuan); check for extra digits.",
        ),
        "money.rate_too_high": (
            "税率“{value}”高于 30%（增值税税率在 0% 到 13% 之间）。请写百分数，如 6%、13% 或 0.5%。",
            "The tax rate “{value}” is above 30% (VAT rates lie between 0% and 13%). Write a percentage such as "
            "6%, 13% or 0.5%.",
        ),
        "money.rate_fraction": (
            "税率“{value}”像是小数写法：请写百分数，如 {percent}（确为 {value}% 时请写“{value}%”）。",
            "The tax rate “{value}” looks like a fraction: write a percentage, such as {percent} (if it really is "
            "{value}%, write “{value}%”).",
        ),
        "rates.file.no_sheet": (
            "{path} 中找不到{what}：要有一个工作表的标题行包含 {headers}。可先用 recuperation rates export 导出一份作样子。",
            "{path} holds no {what}: one sheet needs a header row with {headers}. A file written by recuperation "
            "rates export shows the layout.",
        ),
        "rates.file.cards": ("价目表", "rate cards"),
        "rates.file.lines": ("价格明细", "price lines"),
        "rates.file.missing_column": (
            "工作表“{sheet}”缺少必填的列“{column}”：请加上这一列。",
            "The sheet “{sheet}” lacks the required column “{column}”: add it.",
        ),
        "rates.file.required": ("这一格必须填写。", "This cell must be filled in."),
        "rates.file.number_as_text": (
            "这一格是数字 {value}，末几位可能已被 Excel 改掉：请把这一列设为文本，再按原件填写。",
            "This cell holds the number {value}, whose last digits Excel may have changed: format the column "
            "as text and type it again from the original.",
        ),
        "rates.file.unknown_base": (
            "没有名为“{name}”的基地：请先在“疗休养基地”页建立它，或把名称改成与程序中的一字不差。",
            "There is no base named “{name}”: create it on the Bases page first, or write its name exactly as "
            "the program has it.",
        ),
        "rates.file.duplicate_card": (
            "与第 {first} 行是同一份价目表（{key}）：请把两行合并为一行。",
            "This is the same rate card as row {first} ({key}): merge the two rows into one.",
        ),
        "rates.file.which_price": (
            "这个文件没有{columns}列，而这份价目表中“{item}”有 {count} 个价格（{prices}），无法确定这一行是其中哪一个、"
            "要保留哪一个的内容：请加上{columns}列（可先导出价目表，在导出的文件上修改）。",
            "This file has no {columns} column, and the card has {count} prices of “{item}” ({prices}), so it is "
            "unclear which one this row is and whose values to keep: add the {columns} column (export the cards "
            "and edit the exported file).",
        ),
        "rates.file.unknown_card": (
            "工作表“{sheet}”中没有基地“{base}”的价目表“{card}”：请在那里加上这份价目表，或改正基地名称和价目表名称。",
            "The sheet “{sheet}” has no rate card “{card}” of “{base}”: add the card there, or correct the names "
            "of the base and the card.",
        ),
        "rates.refused": (
            "价目表文件有 {errors} 处错误，未写入任何数据。请按每一处的说明改正后重新导入。",
            "The rate card file has {errors:error|errors}; nothing was written. Correct each as its message says "
            "and import again.",
        ),
        "rates.done": (
            "价目表：读取 {cards} 份、价格 {lines} 行；新增 {new} 份，修改 {changed} 份，未变 {unchanged} 份。",
            "Rate cards: {cards:card|cards} and {lines:price line|price lines} read; {new} new, {changed} changed, "
            "{unchanged} unchanged.",
        ),
        "rates.dry_run": (
            "价目表：读取 {cards} 份、价格 {lines} 行；将新增 {new} 份，修改 {changed} 份，未变 {unchanged} 份；"
            "错误 {errors} 处（试运行，未写入）。",
            "Rate cards: {cards:card|cards} and {lines:price line|price lines} read; would add {new}, change "
            "{changed}, leave {unchanged}; {errors:error|errors} (dry run, nothing written).",
        ),
        "rates.exported": (
            "已导出 {cards} 份价目表（价格 {lines} 行）到 {path}。",
            "{cards:rate card|rate cards} ({lines:price line|price lines}) exported to {path}.",
        ),
    }
)


# what a partner owes and its annual statement (对账单): recuperation/services/charges.py,
# recuperation/documents/statement_docs.py, recuperation/statement_workbook.py
CATALOGUE.update(
    {
        "charge.no_agreement": (
            "批次 {code} 没有对应的合作协议，应收金额未知：请在批次中选择它所属的协议。",
            "Batch {code} counts against no agreement, so what the partner owes for it is unknown: choose its "
            "agreement in the batch.",
        ),
        "charge.no_price": (
            "批次 {code}：协议 {agreement} 按协议价结算，但没有填写单价，应收金额未知：请在协议中填写单价（元/人天）。",
            "Batch {code}: the agreement {agreement} charges the agreed price but names none, so the amount is "
            "unknown: enter the agreement's price (yuan per person per day).",
        ),
        "charge.no_cost": (
            "批次 {code}：协议 {agreement} 据实结算，但批次没有安排任何基地（住宿、用餐或活动），成本未知：请安排基地，"
            "或登记基地的发票。",
            "Batch {code}: the agreement {agreement} charges at cost, but the batch uses no base (lodging, meals "
            "or activities), so its cost is unknown: plan its bases, or enter the bases' invoices.",
        ),
        "charge.cost_incomplete": (
            "批次 {code}：协议 {agreement} 据实结算，但在 {bases} 的成本缺少价格，应收金额未知：请补全这些基地的"
            "价目表，或登记并审批它们的发票。",
            "Batch {code}: the agreement {agreement} charges at cost, but its cost at {bases} lacks prices, so "
            "the amount is unknown: complete those bases' rate cards, or enter and approve their invoices.",
        ),
        "charge.bad_credit": (
            "合作协议“{number}”：未到退费比例 {value} 无效，应在 0% 到 100% 之间（最多两位小数，如 50%）。",
            "Agreement “{number}”: the no-show credit {value} is invalid; it lies between 0% and 100% (at most "
            "two decimals, such as 50%).",
        ),
        "statement.unknown_partner": (
            "没有名为“{name}”的合作单位。请核对名称（与“合作协议”页上的名称一字不差）。",
            "There is no partner named “{name}”. Check the name: it must be written exactly as on the "
            "Agreements page.",
        ),
        "statement.no_batches": (
            "合作单位“{partner}”在 {year} 年没有批次（已取消的不计），没有可对账的内容。有批次的年份：{years}。",
            "The partner “{partner}” has no batch in {year} (cancelled ones aside): there is nothing to state. "
            "Years with batches: {years}.",
        ),
        "statement.exported": (
            "已导出 {partner} {year} 年对账单（{batches} 个批次）到 {path}。",
            "The {year} statement of {partner} ({batches:batch|batches}) exported to {path}.",
        ),
        "statement.unknown_amounts": (
            "有 {count} 个批次的应收金额未知，未计入合计：{codes}。",
            "The amount of {count:batch|batches} is unknown and not in the totals: {codes}.",
        ),
    }
)

# feedback per batch (问卷反馈): services.feedback, feedback_workbook, cli_feedback, documents.feedback_docs
KIND_LABELS.update({"feedback_response": ("问卷反馈", "Feedback response")})
FIELD_LABELS.update(
    {
        "sheet_no": ("问卷编号", "questionnaire number"),
        "respondent": ("填写人", "respondent"),
        "comment": ("意见建议", "comments"),
        "ratings": ("星级", "stars"),
        "participant_id": ("团员", "participant"),
    }
)
CATALOGUE.update(
    {
        "feedback.rate.attended": (
            "回收问卷 {responses} 份，实到团员 {people} 人，回收率 {rate}（按报到计算，不含随行家属）",
            "{responses:questionnaire|questionnaires} returned of {people} members who came: {rate} (from the "
            "roll call; companions not counted)",
        ),
        "feedback.rate.roster": (
            "回收问卷 {responses} 份，名单团员 {people} 人，回收率 {rate}（报到尚未关闭，按名单计算，不含随行家属）",
            "{responses:questionnaire|questionnaires} returned of {people} members on the roster: {rate} (the "
            "roll call is not closed; companions not counted)",
        ),
        "feedback.rate.headcount": (
            "回收问卷 {responses} 份，计划人数 {people} 人，回收率 {rate}（还没有名单，按计划人数计算）",
            "{responses:questionnaire|questionnaires} returned of {people} planned: {rate} (no roster yet: "
            "the planned headcount)",
        ),
        "feedback.where.sheet": ("问卷 {sheet}", "Questionnaire {sheet}"),
        "feedback.where.row": ("第 {row} 行", "Row {row}"),
        "feedback.where.file_row": ("文件第 {row} 行", "Row {row} of the file"),
        "feedback.where.cell": (
            "第 {row} 行 {column} 列（{heading}）",
            "Row {row}, column {column} ({heading})",
        ),
        "feedback.stored_response": ("已有的问卷（{who}）", "a questionnaire on file ({who})"),
        "feedback.bad_stars": (
            "{where}，{target}：星级应为 1 至 5，而不是 {value}",
            "{where}, {target}: stars are a whole number from 1 to 5, not {value}",
        ),
        "feedback.bad_sheet_no": (
            "{where}：问卷编号应为 1 至 {most} 的整数，而不是“{value}”",
            "{where}: the questionnaire number is a whole number from 1 to {most}, not “{value}”",
        ),
        "feedback.control_chars": (
            "{where}：{label}含有不可见的控制字符 {char}，请删除后重新输入",
            "{where}: the {label} holds the invisible control character {char}; delete it and type it again",
        ),
        "feedback.too_long": (
            "{where}：{label}最多 {max} 个字",
            "{where}: the {label} takes at most {max} characters",
        ),
        "feedback.bad_date": (
            "{where}：“{value}”不是日期，请写成 2021-05-12 这样的日期",
            "{where}: “{value}” is not a date; write it as 2021-05-12",
        ),
        "feedback.date_future": (
            "{where}：填写日期 {day} 还没有到",
            "{where}: the day it was filled in, {day}, is still to come",
        ),
        "feedback.date_early": (
            "{where}：填写日期 {day} 早于批次到达的 {arrival}",
            "{where}: the day it was filled in, {day}, is before the batch arrived ({arrival})",
        ),
        "feedback.not_on_roster": (
            "{where}：所选的团员不在批次 {code} 的名单上",
            "{where}: the participant chosen is not on the roster of batch {code}",
        ),
        "feedback.unknown_target": (
            "{where}：“{target}”不是批次 {code} 的问卷项目（基地不在这个批次的住宿、用餐或活动中）",
            "{where}: “{target}” is not on the questionnaire of batch {code} (the base is not among its lodging, "
            "meals or activities)",
        ),
        "feedback.sheet_twice": (
            "问卷编号 {sheet} 用了两次（{holders}）：批次 {code} 的每个问卷编号只能用一次，请改正其中一个",
            "The questionnaire number {sheet} is used twice ({holders}): each number is used once in batch "
            "{code}; correct one of them",
        ),
        "feedback.more_problems": ("还有 {count} 处", "{count:more problem|more problems}"),
        "feedback.refused": (
            "批次 {code} 的问卷反馈没有保存，有 {count} 处需要改正：{problems}。",
            "The feedback of batch {code} was not saved; {count:cell needs|cells need} correcting: {problems}.",
        ),
        "feedback.cancelled": (
            "批次 {code} 已取消，没有问卷反馈可以登记。",
            "Batch {code} is cancelled: it has no feedback to record.",
        ),
        "feedback.not_begun": (
            "批次 {code} 还没有开始（{arrival} 到达）：到达以后才能登记问卷反馈。",
            "Batch {code} has not begun (it arrives on {arrival}): feedback is recorded once it has arrived.",
        ),
        "feedback.target.sheet_no": ("问卷编号", "Questionnaire number"),
        "feedback.target.respondent": ("填写人", "Respondent"),
        "feedback.target.answered_on": ("填写日期", "Date filled in"),
        "feedback.target.comment": ("意见建议", "Comments"),
        "feedback.target.batch": ("批次", "Batch"),
        "feedback.list.mean_columns": ("项目|平均|星数/回答数", "Question|Mean|Stars/answers"),
        "feedback.list.row_columns": (
            "问卷编号|填写人|已答项数|意见建议",
            "Questionnaire no.|Respondent|Questions answered|Comments",
        ),
        "feedback.conflict.sheet": ("问卷 {sheet}", "Questionnaire {sheet}"),
        "feedback.conflict.unnumbered": (
            "{day} {respondent} 的问卷（无编号）",
            "The questionnaire of {day} by {respondent} (no number)",
        ),
        "feedback.entered_conflict": (
            "{where}：{response} 已手工录入，文件中的答案不同：{changes}。导入不改动手工录入的问卷：请核对纸质问卷，"
            "需要时在表格中修改；文件中的编号若只是问卷工具的序号，请把这一列改为不导入；或选择“只导入正确的行”跳过此行",
            "{where}: {response} was entered by hand and the file's answers differ: {changes}. An import does not "
            "change questionnaires entered by hand: check the paper sheet and correct it in the grid if needed; if "
            "the file's number is only the survey tool's row counter, set that column to not imported; or choose "
            "to import only the correct rows, which skips this one",
        ),
        "feedback.no_header": (
            "在 {path} 中找不到问卷结果的表头：前 30 行里没有一行能对应到批次 {code} 的问卷项目（如 {example}）。"
            "请检查文件和批次是否对应，或在预览中指定工作表、表头行和各列的对应。",
            "No header of questionnaire answers was found in {path}: none of the first 30 rows names the "
            "questions of batch {code} (such as {example}). Check that the file belongs to the batch, or choose "
            "the sheet, the header row and each column's target in the preview.",
        ),
        "feedback.other_batch_file": (
            "{path} 是批次 {stated} 的问卷反馈，不是批次 {code} 的：请选择正确的文件或批次。",
            "{path} holds the feedback of batch {stated}, not of batch {code}: choose the right file or batch.",
        ),
        "feedback.bad_target": (
            "“{value}”不是可以导入的项目。可以是：问卷编号、填写人、填写日期、意见建议、批次，或“基地·项目”"
            "“线路·项目”（如 {choices}），或 - 表示不导入。",
            "“{value}” is nothing the import can take. Use a field (sheet_no, respondent, answered_on, comment, "
            "batch), a base or the route with a dimension (such as {choices}), or - for none.",
        ),
        "feedback.bad_column": (
            "{path} 工作表“{sheet}”的表头（第 {row} 行）中找不到列“{value}”：请写列的字母（如 F）、序号（从 1 "
            "起）或完整的表头。",
            "No column “{value}” in the header (row {row}) of the sheet “{sheet}” of {path}: give its letters "
            "(such as F), its number (from 1) or its whole heading.",
        ),
        "feedback.bad_map": (
            "--map 应写成 列=项目，例如 F=寿昌宾馆·餐饮 或 H=-，而不是“{value}”。",
            "--map takes COLUMN=TARGET, for example F=Base·Food or H=-, not “{value}”.",
        ),
        "feedback.bad_sheet_cell": (
            "{where}：问卷编号应为 1 至 {most} 的整数，而不是“{value}”。请改正这一格，或把这一列改为不导入",
            "{where}: a questionnaire number is a whole number from 1 to {most}, not “{value}”. Correct the "
            "cell, or leave the column out",
        ),
        "feedback.bad_date_cell": (
            "{where}：“{value}”不是日期。请写成 2021-05-12 这样的日期，或把这一列改为不导入",
            "{where}: “{value}” is not a date. Write it as 2021-05-12, or leave the column out",
        ),
        "feedback.bad_star_cell": (
            "{where}：“{value}”不是{target}的星级。星级应为 1 至 5，或“非常满意、满意、一般、不满意、非常不满意”，"
            "或“5星”；没有回答的留空。请改正后再导入，或把这一列改为不导入",
            "{where}: “{value}” is not a star answer for {target}. Stars are 1 to 5, the satisfaction words of "
            "the scale, or “5 stars”; leave a question not answered empty. Correct it and import again, or "
            "leave the column out",
        ),
        "feedback.too_long_cell": ("{where}：最多 {max} 个字", "{where}: at most {max} characters"),
        "feedback.sheet_twice_in_file": (
            "问卷编号 {sheet} 在文件中出现了两次（第 {row} 行和第 {other} 行）：请改正其中一个",
            "The questionnaire number {sheet} is in the file twice (rows {row} and {other}): correct one of "
            "them",
        ),
        "feedback.import_refused": (
            "{path} 工作表“{sheet}”有 {errors} 行有问题（第 {rows} 行），没有写入任何数据。请改正后再导入，"
            "或选择只导入正确的行（--skip-invalid）。",
            "The sheet “{sheet}” of {path} has {errors:row|rows} with problems (row {rows}); nothing was "
            "written. Correct them and import again, or import only the valid rows (--skip-invalid).",
        ),
        "feedback.import_changed": (
            "批次 {code} 的问卷在读取文件之后有增减（当时 {then} 份，现在 {now} 份），可能另一处刚导入或录入了"
            "问卷：没有写入任何数据。请重新读取文件，核对预览后再导入。",
            "Questionnaires of batch {code} were added or deleted after the file was read ({then} then, {now} "
            "now) — another desk may have just imported or entered some: nothing was written. Read the file "
            "again, check the preview and import it again.",
        ),
        "feedback.import_other_batches": (
            "另有 {rows} 行的批次一栏不是 {code}，属于其他批次，没有导入。",
            "{rows:more row names|more rows name} another batch than {code} in the batch column: not "
            "imported.",
        ),
        "feedback.import_summary": (
            "批次 {code}：读取 {rows} 行，新增 {added} 份，修改 {changed} 份，未变 {unchanged} 份，有问题 {errors} 行。",
            "Batch {code}: {rows:row|rows} read, {added} new, {changed} changed, {unchanged} unchanged, "
            "{errors:row|rows} with problems.",
        ),
        "feedback.import_columns": (
            "工作表“{sheet}”，表头在第 {row} 行；各列的对应：{columns}",
            "Sheet “{sheet}”, header on row {row}; the columns: {columns}",
        ),
        "feedback.import_unmapped": (
            "不导入的列：{columns}（需要时用 --map 列=项目 指定）",
            "Columns not imported: {columns} (map one with --map COLUMN=TARGET)",
        ),
        "feedback.import_dry_run": (
            "只做了检查（--dry-run），没有写入。",
            "Checked only (--dry-run); nothing written.",
        ),
        "feedback.import_skipped": (
            "跳过了有问题的第 {rows} 行。",
            "The rows with problems were skipped: {rows}.",
        ),
        "feedback.imported": (
            "批次 {code} 的问卷反馈已导入：新增 {added} 份，修改 {changed} 份。",
            "The feedback of batch {code} was imported: {added} new, {changed} changed.",
        ),
        "feedback.exported": (
            "批次 {code} 的 {rows} 份问卷已导出到 {path}。",
            "{rows:questionnaire|questionnaires} of batch {code} exported to {path}.",
        ),
        "feedback.group_count": (
            "按组打印的份数应为 1 至 {most}，而不是 {value}。",
            "The copies for groups are 1 to {most}, not {value}.",
        ),
        "feedback.nobody_to_ask": (
            "批次 {code} 的名单上没有可以发调查表的团员（还没有名单，或报到后无人到场）。"
            "请先导入名单，或按组打印（--group 份数）。",
            "Batch {code} has nobody to give a questionnaire to (no roster yet, or nobody came). Import the "
            "roster first, or print copies for groups (--group COPIES).",
        ),
    }
)

# spending rules (开支标准) and insurance per batch (保险)
KIND_LABELS.update(
    {
        "spending_pack": ("开支标准", "Spending rules"),
        "spending_rule": ("开支标准规则", "Spending rule"),
        "insurance_policy": ("保险", "Insurance policy"),
    }
)
FIELD_LABELS.update(
    {
        "amount": ("金额", "amount"),
        "mode": ("处理方式", "mode"),
        "source": ("依据", "source"),
        "rules": ("规则", "rules"),
        "spending_pack_id": ("开支标准", "spending rules"),
        "insurer": ("保险公司", "insurer"),
        "policy_no": ("保单号", "policy number"),
        "accident_fen": ("意外险保额", "accident cover"),
        "medical_fen": ("医疗险保额", "medical cover"),
        "insured_count": ("投保人数", "people insured"),
    }
)
CATALOGUE.update(
    {
        "depends.partner": ("{count} 个合作单位", "{count:partner|partners}"),
        "spending.amount": (
            "开支标准“{pack}”第 {n} 条规则（{kind}）：金额或天数必须大于 0。",
            "Spending rules “{pack}”, rule {n} ({kind}): the amount or the days must be more than 0.",
        ),
        "spending.amount_too_large": (
            "开支标准“{pack}”第 {n} 条规则（{kind}）：{value} 超过了上限 {most}，请核对是否多输了位数。",
            "Spending rules “{pack}”, rule {n} ({kind}): {value} is more than the most allowed, {most}; check "
            "for extra digits.",
        ),
        "spending.rule_dates": (
            "开支标准“{pack}”第 {n} 条规则（{kind}）：有效期至 {end} 早于有效期起 {start}，请改正日期。",
            "Spending rules “{pack}”, rule {n} ({kind}): the end {end} is before the start {start}; correct "
            "the dates.",
        ),
        "spending.rule_early": (
            "开支标准“{pack}”第 {n} 条规则（{kind}）：日期 {day} 早于 2000 年，不能登记（多半是输错了）。请改正"
            "有效期，不限时留空。",
            "Spending rules “{pack}”, rule {n} ({kind}): the date {day} is before 2000 and cannot be recorded "
            "(most likely a typing slip). Correct the validity, or leave it empty for no limit.",
        ),
        "spending.source_required": (
            "开支标准“{pack}”第 {n} 条规则（{kind}）没有填写依据。每条规则都要注明依据的文件和条文，"
            "如“浙工〔2020〕12号 第三条”。",
            "Spending rules “{pack}”, rule {n} ({kind}) has no source. Every rule names the document and the "
            "words it comes from, such as “Zhejiang union notice 2020/12, article 3”.",
        ),
        "spending.rule_overlap": (
            "开支标准“{pack}”的第 {other} 条和第 {n} 条规则都是{kind}，有效期重叠（{other_dates} 与 {dates}）："
            "同一类规则在同一天只能有一条。请调整有效期，或删去其中一条。",
            "Spending rules “{pack}”: rules {other} and {n} are both a {kind} and their validity overlaps "
            "({other_dates} and {dates}): one rule of a kind applies on any day. Change the dates or remove one.",
        ),
        "spending.day_cap_price": (
            "批次 {code} 的协议价每人每天 {value} 元，超过“{pack}”的每人每天上限 {limit} 元（{mode}；依据：{source}）。",
            "Batch {code}: the agreed price of ¥{value} per person per day is above the cap of “{pack}”, "
            "¥{limit} per person per day ({mode}; source: {source}).",
        ),
        "spending.day_cap_cost": (
            "批次 {code} 的费用每人每天 {value} 元（{cost} 元 ÷ {person_days} 人天{partial}），超过“{pack}”的"
            "每人每天上限 {limit} 元（{mode}；依据：{source}）。",
            "Batch {code}: its cost of ¥{value} per person per day (¥{cost} ÷ {person_days} person-days"
            "{partial}) is above the cap of “{pack}”, ¥{limit} per person per day ({mode}; source: {source}).",
        ),
        "spending.day_cap_route": (
            "批次 {code} 的线路“{route}”每人 {price} 元、{days} 天，合每人每天 {value} 元，超过“{pack}”的每人每天"
            "上限 {limit} 元（{mode}；依据：{source}）。",
            "Batch {code}: its route “{route}”, ¥{price} a person for {days:day|days}, comes to ¥{value} per "
            "person per day, above the cap of “{pack}”, ¥{limit} per person per day ({mode}; source: {source}).",
        ),
        "spending.max_days_route": (
            "批次 {code} 的线路“{route}”共 {days} 天，超过“{pack}”的天数上限 {limit} 天（{mode}；依据：{source}）。",
            "Batch {code}: its route “{route}” lasts {days:day|days}, more than the {limit} days of “{pack}” "
            "({mode}; source: {source}).",
        ),
        "spending.partial_cost": ("，部分价格缺失", ", some prices missing"),
        "spending.companions_part": (
            "，即成本 {cost} 元减去随行家属自费分摊的 {share} 元",
            ", the cost of ¥{cost} less the companions' own share of ¥{share}",
        ),
        "spending.max_days": (
            "批次 {code} 共 {days} 天（含往返），超过“{pack}”的天数上限 {limit} 天（{mode}；依据：{source}）。",
            "Batch {code} lasts {days:day|days}, travel included, more than the {limit} days of “{pack}” ({mode}; "
            "source: {source}).",
        ),
        "spending.year_cap": (
            "{name}（{id}）{year} 年在{partner}的 {count} 个批次共 {value} 元（{detail}），超过“{pack}”的"
            "每人每年上限 {limit} 元（{mode}；依据：{source}）。",
            "{name} ({id}): {count:batch|batches} of {partner} in {year} cost ¥{value} ({detail}), above "
            "the cap of “{pack}”, ¥{limit} per person per year ({mode}; source: {source}).",
        ),
        "spending.year_cap_many": (
            "{count} 人 {year} 年在{partner}的批次费用超过“{pack}”的每人每年上限 {limit} 元（{mode}；依据：{source}）："
            "{people}。",
            "{count:person|people} cost more in {year} with {partner} than the cap of “{pack}”, ¥{limit} per person "
            "per year ({mode}; source: {source}): {people}.",
        ),
        "spending.no_policy": (
            "批次 {code} 没有登记保险，“{pack}”要求{cover}不低于 {limit} 元（{mode}；依据：{source}）。",
            "Batch {code} has no insurance policy on file; “{pack}” asks for {cover} of at least ¥{limit} "
            "({mode}; source: {source}).",
        ),
        "spending.cover_short": (
            "批次 {code} 的{cover} {value} 元，低于“{pack}”要求的 {limit} 元（{mode}；依据：{source}）。",
            "Batch {code}: its {cover} of ¥{value} is below the ¥{limit} “{pack}” asks for ({mode}; source: "
            "{source}).",
        ),
        "spending.refused_change": (
            "{batch} 已确认，这样修改会违反开支标准：{detail}。这些规则的处理方式是“拒绝”：修改没有保存。",
            "{batch} is confirmed, and this change would break its spending rules: {detail}. These rules "
            "refuse: the change was not saved.",
        ),
        "spending.refused": (
            "{batch} 不能确认：{detail}。这些规则的处理方式是“拒绝”：请先调整价格、天数、名单或保险，"
            "或请负责人在“设置 → 开支标准”中修改规则。",
            "{batch} cannot be confirmed: {detail}. These rules refuse: change the price, the days, the roster "
            "or the insurance first, or have the person in charge change the rules under Settings → Spending "
            "rules.",
        ),
        "insurance.cover.accident_min": ("意外险保额", "accident cover"),
        "insurance.cover.medical_min": ("医疗险保额", "medical cover"),
        "insurance.period": (
            "批次 {code} 的保险期间止 {end} 早于起 {start}，请改正日期。",
            "Batch {code}: the insurance period ends on {end}, before it starts on {start}; correct the dates.",
        ),
        "insurance.problem.none": ("没有登记保单", "no policy on file"),
        "insurance.problem.period": (
            "保险期间 {first} 至 {last} 没有覆盖行程 {arrival} 至 {departure}",
            "the period {first} to {last} does not cover the stay {arrival} to {departure}",
        ),
        "insurance.problem.count": (
            "投保 {insured} 人，少于名单上的 {people} 人",
            "{insured} insured, fewer than the {people} on the roster",
        ),
        "insurance.problem.cover": (
            "{cover} {value} 元，低于“{pack}”要求的 {limit} 元",
            "{cover} of ¥{value}, below the ¥{limit} “{pack}” asks for",
        ),
        "alert.insurance": (
            "批次 {code}（{partner}）{when}，保险不符合要求：{problems}。请在批次页的“保险…”中登记或更正。",
            "Batch {code} ({partner}) {when} without valid insurance: {problems}. Enter or correct it under "
            "Insurance… on the batch page.",
        ),
        "alert.insurance_arriving": ("{days} 天后（{day}）到达", "arrives in {days:day|days} ({day})"),
        "alert.insurance_today": ("今天到达", "arrives today"),
        "alert.insurance_under_way": ("已于 {day} 到达，行程进行中", "arrived on {day} and is under way"),
        "insurance.exported": (
            "已导出批次 {code} 的保险名单（{rows} 人，完整证件号，已记入审计日志）到 {path}。",
            "The insurer's list of batch {code} ({rows:person|people}, full ID numbers, recorded in the audit "
            "log) exported to {path}.",
        ),
        "rules.exported": (
            "已导出 {packs} 个开支标准、{rules} 条规则到 {path}。",
            "{packs:pack|packs} of spending rules with {rules:rule|rules} exported to {path}.",
        ),
        "rules.refused": (
            "开支标准文件有 {errors} 处错误，没有写入任何数据。请按上面列出的工作表、行和列改正后再导入。",
            "The spending rules file has {errors:error|errors}; nothing was written. Correct them at the "
            "sheet, row and column listed above and import again.",
        ),
        "rules.done": (
            "已导入开支标准：新增 {new} 个，修改 {changed} 个，未变 {unchanged} 个（共 {rules} 条规则）。",
            "Spending rules imported: {new} new, {changed} changed, {unchanged} unchanged ({rules:rule|rules}).",
        ),
        "rules.dry_run": (
            "检查完毕（未写入）：新增 {new} 个，修改 {changed} 个，未变 {unchanged} 个开支标准，{errors} 处错误。",
            "Checked, nothing written: {new} new, {changed} changed, {unchanged} unchanged packs of spending "
            "rules; {errors:error|errors}.",
        ),
        "rules.file.no_sheet": (
            "文件 {path} 中找不到{what}表：需要一个表头含 {headers} 的工作表。请用 recuperation rules export "
            "导出的文件修改后再导入。",
            "The file {path} has no table of {what}: a sheet whose header holds {headers} is needed. Edit a "
            "file written by recuperation rules export and import that.",
        ),
        "rules.file.packs": ("开支标准", "spending rule packs"),
        "rules.file.rules": ("规则", "rules"),
        "rules.file.missing_column": (
            "工作表“{sheet}”缺少必填的列“{column}”。",
            "The sheet “{sheet}” lacks the required column “{column}”.",
        ),
        "rules.file.duplicate_pack": (
            "开支标准“{name}”已在第 {first} 行出现过：每个开支标准只写一行。",
            "The spending rules “{name}” already appear on row {first}: one row per pack.",
        ),
        "rules.file.unknown_pack": (
            "开支标准“{name}”不在工作表“{sheet}”中：请先在那里加上这一行，或改正名称。",
            "The spending rules “{name}” are not on the sheet “{sheet}”: add a row for them there, or correct "
            "the name.",
        ),
        "rules.file.which_rule": (
            "这个文件没有{columns}列，而这个开支标准有 {count} 条{kind}规则（{rules}），无法确定这一行是其中哪一条、"
            "要保留哪一条的内容：请加上{columns}列（可先导出开支标准，在导出的文件上修改）。",
            "This file has no {columns} column, and the pack has {count} rules of the kind “{kind}” ({rules}), "
            "so it is unclear which one this row is and whose values to keep: add the {columns} column (export "
            "the rules and edit the exported file).",
        ),
        "rules.file.amount_column": (
            "{kind}的数额写在“{column}”列：金额规则写“金额（元）”，天数规则写“天数”。",
            "A {kind} is given in the column “{column}”: amounts go under the money column, days under the "
            "days column.",
        ),
        "rules.file.bad_days": (
            "天数“{value}”无效，应为正整数。",
            "The days “{value}” are invalid; write a positive whole number.",
        ),
    }
)


# settlement with the bases (结算): recuperation/services/settlement.py, recuperation/cli_settle.py
CATALOGUE.update(
    {
        "batch.cancel_invoiced": (
            "批次 {code} 已有基地的发票，不能取消：批次进行过（或基地已为它开票）。"
            "如果发票开错了，先在“结算”页删除未审批的发票；已审批的发票按已完成的批次结算。",
            "Batch {code} has a base's invoice and cannot be cancelled: it took place (or a base has invoiced it). "
            "If the invoice is a mistake, delete it on the Settlement tab while it is not approved; an approved "
            "invoice is settled as for a completed batch.",
        ),
        "settle.scan_kind": (
            "批次 {batch} 基地“{base}”的发票扫描件“{path}”不是扫描件的文件类型：请选择 PDF、OFD 或图片（{kinds}）。",
            "The scan “{path}” of the invoice of “{base}” for batch {batch} is not a kind of file a scan is: "
            "choose a PDF, an OFD or a picture ({kinds}).",
        ),
        "settle.scan_too_big": (
            "批次 {batch} 基地“{base}”的发票扫描件“{path}”有 {size} MB，超过 {most} MB：请降低扫描分辨率或压缩后再附。",
            "The scan “{path}” of the invoice of “{base}” for batch {batch} is {size} MB, more than {most} MB: "
            "scan at a lower resolution or compress it, then attach it.",
        ),
        "settle.batch_not_ready": (
            "批次 {batch} 的状态是“{status}”：只有进行中或已完成的批次才能登记基地“{base}”的发票。",
            "Batch {batch} has the status “{status}”: only a batch in progress or completed takes an invoice from “{base}”.",
        ),
        "settle.base_not_used": (
            "批次 {batch} 没有在基地“{base}”住宿、用餐或活动，不能登记它的发票。这个批次的基地：{bases}。",
            "Batch {batch} neither lodges, eats nor has activities at “{base}”, so that base cannot invoice it. "
            "The batch's bases: {bases}.",
        ),
        "settle.exists": (
            "批次 {batch} 已有基地“{base}”的发票 {number}：一个批次每个基地一张发票。请修改这张发票（号码、金额或"
            "差额说明），不要再登记一张。",
            "Batch {batch} already has the invoice {number} from “{base}”: one invoice per batch and base. "
            "Correct that invoice (its number, amount or adjustments) instead of recording another.",
        ),
        "settle.duplicate_number": (
            "基地“{base}”的发票号码 {number} 已用于批次 {other}：同一基地的发票号码不会重复。请按发票核对号码。",
            "The invoice number {number} of “{base}” is already used for batch {other}: a base's invoice "
            "numbers never repeat. Check the number on the invoice.",
        ),
        "settle.future_day": (
            "批次 {batch} · {base}：{what} {day} 晚于今天（或早于 2000 年），请改正日期。",
            "Batch {batch} · {base}: the {what}, {day}, is after today (or before 2000); correct it.",
        ),
        "settle.before_arrival": (
            "批次 {batch} · {base}：开票日期 {day} 早于批次到达日期 {arrival}。请按发票核对开票日期。",
            "Batch {batch} · {base}: the invoice is dated {day}, before the batch arrived on {arrival}. Check "
            "the date on the invoice.",
        ),
        "settle.bad_amount": (
            "批次 {batch} · {base}：发票金额 {value} 元无效，应大于 0 且不超过 {max} 元。请按发票填写价税合计。",
            "Batch {batch} · {base}: the invoice amount {value} yuan is invalid; it is above 0 and at most {max} "
            "yuan. Write the invoice's total including tax.",
        ),
        "settle.bad_tax": (
            "批次 {batch} · {base}：税率 {value} 无效，应在 0% 到 30% 之间（如 6%、3%、1%）。",
            "Batch {batch} · {base}: the tax rate {value} is invalid; it lies between 0% and 30% (6%, 3%, 1% …).",
        ),
        "settle.adjustment_amount": (
            "批次 {batch} · {base}：第 {line} 行差额说明的金额 {value} 元无效：请写不为 0 的金额，多收为正、少收为负"
            "（如 300 或 -180）。",
            "Batch {batch} · {base}: adjustment {line} has the amount {value} yuan; write an amount other than "
            "0, positive for more, negative for less (300 or -180).",
        ),
        "settle.adjustment_reason": (
            "批次 {batch} · {base}：第 {line} 行差额说明（{amount} 元）没有写原因。每一行都要写明原因，如“加用会议室"
            "半天”或“一间客房未入住”。",
            "Batch {batch} · {base}: adjustment {line} ({amount} yuan) gives no reason. Each line says why, such "
            "as “extra meeting room for half a day” or “one room not used”.",
        ),
        "settle.paid_locked": (
            "批次 {batch} · {base}：发票 {number} 已付清，不能再修改。",
            "Batch {batch} · {base}: the invoice {number} is paid in full and can no longer be changed.",
        ),
        "settle.below_paid": (
            "批次 {batch} · {base}：发票 {number} 已付 {paid} 元，金额不能改为更少的 {value} 元。请核对金额。",
            "Batch {batch} · {base}: {paid} yuan of the invoice {number} is already paid, so its amount cannot "
            "become {value} yuan. Check the amount.",
        ),
        "settle.delete_approved": (
            "批次 {batch} · {base}：发票 {number} 的状态是“{state}”（或已有付款），不能删除；只有尚未审批的发票可以删除。"
            "要改正它，请修改发票。",
            "Batch {batch} · {base}: the invoice {number} is “{state}” (or has payments) and cannot be deleted; "
            "only an invoice not yet approved can be. Correct the invoice instead.",
        ),
        "settle.approve_state": (
            "批次 {batch} · {base}：发票 {number} 的状态是“{state}”，不需要再审批。",
            "Batch {batch} · {base}: the invoice {number} is “{state}”; it needs no approval.",
        ),
        "settle.approve_not_completed": (
            "批次 {batch} 的状态是“{status}”：批次完成后才能审批基地“{base}”的发票 {number}（要按实际发生的费用核对）。"
            "请在批次结束后把状态改为已完成，关闭报到，再审批。",
            "Batch {batch} has the status “{status}”: the invoice {number} of “{base}” is approved once the "
            "batch is completed (it is checked against what was actually used). Mark the batch completed when it ends, close its "
            "roll call, then approve.",
        ),
        "settle.incomplete": (
            "批次 {batch} · {base}：{source}缺少 {count} 项价格（如：{example}），无法核对发票 {number}。请先在价目表中"
            "补上价格，再审批。",
            "Batch {batch} · {base}: {source} lacks {count:price|prices} (such as: {example}), so the invoice "
            "{number} cannot be checked. Add the prices to the rate card, then approve.",
        ),
        "settle.unexplained": (
            "批次 {batch} · {base}：发票 {number} 金额 {amount} 元，{source} {expected} 元，差额 {difference} 元；"
            "差额说明合计 {explained} 元，还有 {rest} 元没有说明。请补充或改正差额说明（每行写明金额和原因），使合计"
            "等于差额，再审批。",
            "Batch {batch} · {base}: the invoice {number} is {amount} yuan, {source} {expected} yuan, a difference "
            "of {difference} yuan; the adjustments add up to {explained} yuan, leaving {rest} yuan unexplained. "
            "Add or correct adjustment lines (an amount and a reason each) until they add up to the difference, "
            "then approve.",
        ),
        "settle.approve_before_issue": (
            "批次 {batch} · {base}：审批日期 {day} 早于发票 {number} 的开票日期 {issued}，请改正日期。",
            "Batch {batch} · {base}: the approval date {day} is before the invoice {number} was issued on "
            "{issued}; correct it.",
        ),
        "settle.pay_state": (
            "批次 {batch} · {base}：发票 {number} 的状态是“{state}”，不能付款：只有已审批、尚未付清的发票可以付款。",
            "Batch {batch} · {base}: the invoice {number} is “{state}” and takes no payment: only an approved "
            "invoice not yet paid in full does.",
        ),
        "settle.pay_before_approval": (
            "批次 {batch} · {base}：付款日期 {day} 早于发票 {number} 的审批日期 {approved}，请改正日期。",
            "Batch {batch} · {base}: the payment date {day} is before the invoice {number} was approved on "
            "{approved}; correct it.",
        ),
        "settle.bad_payment": (
            "批次 {batch} · {base}：付款金额 {value} 元无效，应大于 0。",
            "Batch {batch} · {base}: the payment of {value} yuan is invalid; it is above 0.",
        ),
        "settle.overpaid": (
            "批次 {batch} · {base}：发票 {number} 金额 {amount} 元，已付 {paid} 元，还应付 {outstanding} 元；这次付款 "
            "{value} 元会超付。请核对付款金额（最多 {outstanding} 元）。",
            "Batch {batch} · {base}: the invoice {number} is {amount} yuan, {paid} yuan paid, {outstanding} yuan "
            "outstanding; a payment of {value} yuan would pay too much. Check the amount (at most {outstanding} "
            "yuan).",
        ),
        "settle.scan_missing": (
            "批次 {batch} · {base}：找不到发票扫描件 {path}。请检查文件路径。",
            "Batch {batch} · {base}: the invoice scan {path} does not exist. Check the file's path.",
        ),
        "settle.no_invoice": (
            "批次 {batch} 还没有基地“{base}”的发票：请先用 settle invoice 登记发票。",
            "Batch {batch} has no invoice from “{base}” yet: record it first with settle invoice.",
        ),
        "settle.print_not_used": (
            "批次 {batch} 与基地“{base}”没有结算（没有在那里住宿、用餐或活动，也没有它的发票），没有结算单可打印。"
            "这个批次的基地：{bases}。",
            "Batch {batch} has nothing to settle with “{base}” (no lodging, meals or activities there, and no "
            "invoice from it), so there is no settlement sheet to print. The batch's bases: {bases}.",
        ),
        "settle.bad_adjust": (
            "差额说明“{value}”应写成 金额:原因，如 300:加用会议室半天 或 -180:一间客房未入住。",
            "The adjustment “{value}” is written AMOUNT:REASON, such as 300:extra meeting room or -180:a room "
            "not used.",
        ),
        "settle.adjust_signs": (
            "差额说明“{value}”的金额带了不止一个正负号，无法确定是加还是减：只写一个，如 300:加用会议室半天 或 "
            "-180:一间客房未入住。",
            "The adjustment “{value}” has more than one sign on its amount, so it is unclear whether it adds or "
            "subtracts: write one, such as 300:extra meeting room or -180:a room not used.",
        ),
        "settle.adjust_amount": (
            "差额说明“{value}”：{reason}",
            "The adjustment “{value}”: {reason}",
        ),
        "settle.source.actual": ("实际费用", "the actual cost"),
        "settle.source.planned": ("计划费用", "the planned cost"),
        "settle.recorded": (
            "已登记批次 {batch} · {base} 的发票 {number}：{amount} 元（税率 {tax}），应付 {expected} 元，差额 {difference} 元，"
            "未说明 {rest} 元（{state}）。",
            "Invoice {number} recorded for batch {batch} · {base}: {amount} yuan (tax {tax}) against {expected} yuan expected, "
            "a difference of {difference} yuan, {rest} yuan unexplained ({state}).",
        ),
        "settle.approved": (
            "已审批批次 {batch} · {base} 的发票 {number}：{amount} 元。",
            "Invoice {number} of batch {batch} · {base} approved: {amount} yuan.",
        ),
        "settle.paid": (
            "已登记批次 {batch} · {base} 的付款 {value} 元：已付 {paid} 元，还应付 {outstanding} 元（{state}）。",
            "Payment of {value} yuan recorded for batch {batch} · {base}: {paid} yuan paid, {outstanding} yuan "
            "outstanding ({state}).",
        ),
        "settle.columns": (
            "批次|基地|状态|计划费用|实际费用|发票号码|发票金额|差额|未说明|已付|未付",
            "batch|base|state|planned|actual|invoice|amount|difference|unexplained|paid|outstanding",
        ),
        "settle.listed": (
            "{count} 行；预计费用 {expected} 元，发票 {invoiced} 元，已付 {paid} 元，未付 {outstanding} 元。",
            "{count:row|rows}; {expected} yuan expected, {invoiced} yuan invoiced, {paid} yuan paid, "
            "{outstanding} yuan outstanding.",
        ),
        "alert.settle_not_invoiced": (
            "批次 {code}（{partner}）{day} 离开已 {days} 天，基地“{base}”还没有开来发票（应付约 {expected} 元）。"
            "请向基地催要发票。",
            "Batch {code} ({partner}) left on {day}, {days:day|days} ago, and “{base}” has not invoiced it yet "
            "(about {expected} yuan expected). Ask the base for its invoice.",
        ),
        "alert.settle_unapproved": (
            "批次 {code}（{partner}）：基地“{base}”的发票 {number}（{amount} 元，{day}开）等待审批；未说明的差额 "
            "{unexplained} 元。",
            "Batch {code} ({partner}): the invoice {number} of “{base}” ({amount} yuan, issued {day}) awaits "
            "approval; {unexplained} yuan of its difference is unexplained.",
        ),
        "alert.settle_unpaid": (
            "批次 {code}（{partner}）：基地“{base}”的发票 {number}（{amount} 元）{day}已审批，已付 {paid} 元，"
            "还应付 {outstanding} 元。",
            "Batch {code} ({partner}): the invoice {number} of “{base}” ({amount} yuan) was approved on {day}; "
            "{paid} yuan paid, {outstanding} yuan outstanding.",
        ),
    }
)

# incidents (事件): recuperation/services/incidents.py, recuperation/cli_incident.py
KIND_LABELS.update(
    {
        "incident": ("事件", "Incident"),
        "incident_person": ("事件涉及人员", "Person in an incident"),
    }
)
FIELD_LABELS.update(
    {
        "occurred_on": ("发生日期", "date"),
        "severity": ("严重程度", "severity"),
        "summary": ("事件概要", "summary"),
        "details": ("经过", "what happened"),
        "others": ("其他涉及人员", "others involved"),
        "action_taken": ("处置", "action taken"),
        "outcome": ("结果", "outcome"),
        "follow_up": ("后续跟进", "follow-up"),
        "follow_up_due": ("跟进期限", "follow-up due"),
        "reported_by": ("报告人", "reported by"),
        "closed_on": ("结案日期", "closed on"),
        "closed_by": ("结案人", "closed by"),
        "involved": ("涉及人员", "people involved"),
        "reopen_reason": ("重新打开原因", "reason for reopening"),
        "delete_reason": ("删除原因", "reason for deleting"),
    }
)
CATALOGUE.update(
    {
        "incident.no_subject": (
            "事件必须属于一个批次或一个基地：请选择批次，或选择基地。",
            "An incident belongs to a batch or to a base: choose the batch, or the base.",
        ),
        "incident.base_not_visited": (
            "批次 {code} 没有去过基地“{base}”（没有在那里住宿、用餐或活动）：请选择这个批次的基地（{bases}），"
            "或不选基地。",
            "Batch {code} did not go to “{base}” (no lodging, meals or activities there): choose one of the "
            "batch's bases ({bases}), or no base.",
        ),
        "incident.base_none_visited": (
            "批次 {code} 还没有安排任何基地（住宿或行程），不能选择基地“{base}”：请不选基地，或先安排批次的住宿或行程。",
            "Batch {code} has no base yet (no lodging or itinerary), so “{base}” cannot be chosen: choose no "
            "base, or plan the batch's lodging or itinerary first.",
        ),
        "incident.too_early": (
            "事件日期 {day} 早于批次 {code} 到达（{arrival}）前 30 天（{earliest}）：请核对日期。",
            "The incident's date {day} is more than 30 days before batch {code} arrives ({arrival}; the "
            "earliest is {earliest}): check the date.",
        ),
        "incident.too_old": (
            "事件日期 {day} 早于 {earliest}：请核对日期。",
            "The incident's date {day} is before {earliest}: check the date.",
        ),
        "incident.future": (
            "事件日期 {day} 在今天（{today}）之后：还没有发生的事不能登记，请核对日期。",
            "The incident's date {day} is after today ({today}): what has not happened cannot be recorded; "
            "check the date.",
        ),
        "incident.people_without_batch": (
            "只有基地、没有批次的事件不能选择团员：请选择批次，或把涉及人员写在“其他涉及人员”中。",
            "An incident with a base and no batch has no roster to choose people from: choose the batch, or "
            "write the people involved under others involved.",
        ),
        "incident.person_not_on_roster": (
            "{name}（{id}）不在批次 {code} 的名单上：只能选择这个批次的团员，其他人写在“其他涉及人员”中。",
            "{name} ({id}) is not on the roster of batch {code}: choose people of this batch only, and write "
            "anyone else under others involved.",
        ),
        "incident.person_gone": (
            "所选的团员（编号 {id}）已不在任何名单上（可能刚被删除）：请重新选择涉及人员。",
            "The person chosen (number {id}) is no longer on any roster (perhaps just removed): choose the "
            "people involved again.",
        ),
        "incident.due_without_follow_up": (
            "事件“{name}”填了跟进期限 {due}，却没有写要跟进什么：请填写后续跟进，或去掉期限。",
            "The incident “{name}” has a follow-up due on {due} but no follow-up: write what is to be "
            "followed up, or remove the date.",
        ),
        "incident.due_before": (
            "事件“{name}”的跟进期限 {due} 早于事件日期 {day}：请核对期限。",
            "The follow-up of the incident “{name}” is due on {due}, before the incident on {day}: check the "
            "date.",
        ),
        "incident.outcome_required": (
            "事件“{name}”还没有结果：请写明结果（事情如何了结）后再关闭。",
            "The incident “{name}” has no outcome yet: write how it ended before closing it.",
        ),
        "incident.closed_before": (
            "事件“{name}”的结案日期 {closed} 早于事件日期 {day}：请核对日期。",
            "The incident “{name}” cannot be closed on {closed}, before it happened on {day}: check the date.",
        ),
        "incident.closed_future": (
            "事件“{name}”的结案日期 {closed} 在今天（{today}）之后：请核对日期。",
            "The incident “{name}” cannot be closed on {closed}, after today ({today}): check the date.",
        ),
        "incident.closed_edit_date": (
            "事件“{name}”已于 {closed} 结案，事件日期 {day} 不能晚于结案日期：请核对日期，或先重新打开事件。",
            "The incident “{name}” was closed on {closed}; its date {day} cannot be after that: check the "
            "date, or reopen the incident first.",
        ),
        "incident.closed_outcome": (
            "事件“{name}”已结案，结果不能清空：请保留结果，或先重新打开事件。",
            "The incident “{name}” is closed and keeps its outcome: leave the outcome, or reopen the "
            "incident first.",
        ),
        "incident.already_closed": (
            "事件“{name}”已于 {closed} 由 {user} 结案。",
            "The incident “{name}” was already closed on {closed} by {user}.",
        ),
        "incident.not_closed": (
            "事件“{name}”没有结案，不需要重新打开。",
            "The incident “{name}” is not closed: there is nothing to reopen.",
        ),
        "incident.reason_required": (
            "请写明重新打开事件“{name}”的原因（记入事件历史）。",
            "Give the reason for reopening the incident “{name}” (it goes into the incident's history).",
        ),
        "incident.delete_reason": (
            "请写明删除事件“{name}”的原因（记入审计日志）。",
            "Give the reason for deleting the incident “{name}” (it goes into the audit log).",
        ),
        "incident.delete_closed": (
            "事件“{name}”已结案，不能删除：事件是基地复核的依据。确属误登记的，请先重新打开（写明原因）再删除。",
            "The incident “{name}” is closed and cannot be deleted: incidents are evidence for the bases' "
            "re-check. If it was recorded by mistake, reopen it first (giving the reason), then delete it.",
        ),
        "incident.delete_not_yours": (
            "事件“{name}”是 {user} 登记的，只有登记人可以删除：误登记的请联系 {user}；否则请在结果中说明后结案。",
            "The incident “{name}” was recorded by {user}, and only they can delete it: ask {user} if it was "
            "recorded by mistake; otherwise write the outcome and close it.",
        ),
        "incident.unknown": (
            "没有编号为 {id} 的事件。可用 recuperation incident list 查看事件编号。",
            "There is no incident number {id}. recuperation incident list shows the numbers.",
        ),
        "incident.bad_kind": (
            "事件类型“{value}”不认识。可用：{choices}。",
            "Unknown incident kind “{value}”. Use one of: {choices}.",
        ),
        "incident.bad_severity": (
            "严重程度“{value}”不认识。可用：{choices}。",
            "Unknown severity “{value}”. Use one of: {choices}.",
        ),
        "incident.person_not_found": (
            "批次 {code} 的名单上没有“{value}”：请写身份证号（或其后四位以上），或名单上的姓名。",
            "No one on the roster of batch {code} matches “{value}”: give an ID number (or its last four or "
            "more characters) or a name on the roster.",
        ),
        "incident.person_ambiguous": (
            "批次 {code} 的名单上有 {count} 人符合“{value}”：{people}。请写完整的身份证号。",
            "{count:person|people} on the roster of batch {code} match “{value}”: {people}. Give the full ID "
            "number.",
        ),
        "incident.where.batch_base": (
            "批次 {code}（{partner}）在“{base}”",
            "Batch {code} ({partner}) at “{base}”",
        ),
        "incident.where.batch": ("批次 {code}（{partner}）", "Batch {code} ({partner})"),
        "incident.where.base": ("基地“{base}”", "“{base}”"),
        "incident.label": ("{where} {day} {kind}", "{where} {day} {kind}"),
        "incident.state.open": ("未结案", "open"),
        "incident.state.closed": ("已结案", "closed"),
        "incident.recorded": (
            "已登记事件 #{id}：{where}，{day}，{kind}（{severity}）：{summary}。",
            "Incident #{id} recorded: {where}, {day}, {kind} ({severity}): {summary}.",
        ),
        "incident.closed": (
            "事件 #{id} 已结案（{day}）：{where}，{kind}：{summary}。",
            "Incident #{id} closed on {day}: {where}, {kind}: {summary}.",
        ),
        "incident.reopened": (
            "事件 #{id} 已重新打开：{where}，{kind}：{summary}。",
            "Incident #{id} reopened: {where}, {kind}: {summary}.",
        ),
        "incident.deleted": (
            "事件 #{id} 已删除：{where}，{kind}：{summary}。",
            "Incident #{id} deleted: {where}, {kind}: {summary}.",
        ),
        "incident.columns": (
            "编号|发生日期|批次|基地|类型|严重程度|状态|概要|涉及人员|跟进期限",
            "number|date|batch|base|kind|severity|state|summary|people involved|follow-up due",
        ),
        "incident.listed": (
            "{count} 个事件，其中未结案 {open} 个（严重 {serious} 个）。",
            "{count:incident|incidents}; open: {open}, of which serious: {serious}.",
        ),
        "alert.incident_open": (
            "{where}{day}发生的严重事件（{kind}）“{summary}”{open}{overdue}。请记录处置和结果后结案（事件 {id}）。",
            "{where}: a serious incident ({kind}) on {day}, “{summary}”, {open}{overdue}. Record what was done "
            "and the outcome, then close it (incident {id}).",
        ),
        "alert.incident_days_open": ("已 {days} 天未结案", "has been open for {days:day|days}"),
        "alert.incident_open_today": ("今天发生，尚未结案", "happened today and is open"),
        "alert.incident_overdue": ("；跟进期限 {due} 已过", "; its follow-up was due on {due}"),
        "alert.incident_follow_up": (
            "{where}{day}的事件（{kind}，{severity}）“{summary}”的后续跟进期限 {due} 已过 {days} 天：{follow_up}。"
            "请跟进后记录结果并结案，或修改跟进期限。",
            "{where}: the follow-up of the incident ({kind}, {severity}) on {day}, “{summary}”, was due on "
            "{due}, {days:day|days} ago: {follow_up}. Follow it up, record the outcome and close the incident, "
            "or change the due date.",
        ),
    }
)

# a base's scorecard (评分表) and re-check file (复核档案): services.scorecard, documents.review_docs, cli_review
CATALOGUE.update(
    {
        "scorecard.flag.low_rating": (
            "总体满意度 {mean}（{count} 份评分），低于复核关注线 {least}（满 {responses} 份评分即检查）。",
            "Overall rating {mean} from {count:rating|ratings}, below the review line of {least} (checked "
            "from {responses:rating|ratings} on).",
        ),
        "scorecard.flag.open_serious": (
            "有 {count} 起严重事件尚未结案（最早一起 {day}：{summary}）。",
            "Serious incidents still open: {count} (the first on {day}: {summary}).",
        ),
        "scorecard.flag.shall_not_met": (
            "{day}的实地检查中有 {count} 条“应”条款不符合：{codes}。",
            "The inspection of {day} found shall clauses not met: {count} ({codes}).",
        ),
        "scorecard.summary": (
            "{year}年评分：总体满意度 {mean}（{count} 份评分），问卷 {responses} 份，未结严重事件 {serious} 起{review}。",
            "{year} scorecard: overall {mean} ({count:rating|ratings}), responses: {responses}, open serious "
            "incidents: {serious}{review}.",
        ),
        "scorecard.summary_review": ("，需复核关注", ", flagged for review"),
        "scorecard.summary_unrated": (
            "{year}年评分：没有问卷评分，未结严重事件 {serious} 起{review}。",
            "{year} scorecard: no ratings, open serious incidents: {serious}{review}.",
        ),
        "scorecard.unknown_base_id": (
            "找不到编号为 {value} 的基地（可能已被删除）。",
            "There is no base with the id {value} (it may have been deleted).",
        ),
        "scorecard.columns": (
            "基地|总体满意度|评分数|问卷|批次|人次|利用率|事件|未结严重|最近检查|认定状态|关注",
            "base|overall|ratings|responses|batches|people|utilisation|incidents|open serious|last inspection|"
            "certification|review",
        ),
        "scorecard.listed": (
            "{year}年 {count} 个基地，其中 {flagged} 个需复核关注。",
            "{year}: {count:base|bases}, flagged for review: {flagged}.",
        ),
        "review.printed": (
            "已生成 {base} 的{what}：{path}。",
            "Written: the {what} of {base}: {path}.",
        ),
        "review.what.scorecard": ("评分表", "scorecard"),
        "review.what.review_file": ("复核档案", "re-check file"),
        "review.no_bases": (
            "没有可打印评分表的基地：请先在“基地”页登记基地。",
            "There is no base to print a scorecard for: register the bases first on the Bases page.",
        ),
    }
)


# inspections against the standard's clauses (实地考察): recuperation/services/inspections.py,
# recuperation/inspection_workbook.py, recuperation/cli_inspect.py
KIND_LABELS.update(
    {
        "standard_clause": ("标准条款", "Standard clause"),
        "inspection": ("实地考察", "Inspection"),
        "inspection_item": ("检查表条款", "Checklist item"),
    }
)
KIND_LABELS.update({"desk_pin": ("单机 PIN", "Desk PIN")})  # the audit log's entries for the PIN
FIELD_LABELS.update(
    {
        "standard": ("标准", "standard"),
        "element": ("要素", "element"),
        "requirement": ("要求", "requirement"),
        "strength": ("应/宜", "shall or should"),
        "active": ("启用", "in use"),
        "position": ("顺序", "place"),
        "on_date": ("日期", "date"),
        "inspectors": ("检查人员", "inspectors"),
        "conclusion": ("考察结论", "conclusion"),
        "certification_id": ("认定", "certification"),
        "results": ("检查结果", "results"),
        "result": ("结果", "result"),
        "note": ("说明", "note"),
        "checked_on": ("检查日期", "date checked"),
        "retention_years": ("个人信息保存年数", "years personal data is kept"),
        "anonymised": ("匿名化", "anonymised"),
        "before": ("匿名化截止日期", "anonymise before"),
    }
)
CATALOGUE.update(
    {
        "clause.bad_code": (
            "标准条款编号“{value}”中的 {char} 不能用：编号由字母、数字和“. - _ ( )”组成，以字母或数字开头，"
            "最多 {max} 个字符，如 5.2 或 A-3。",
            "The clause number “{value}” cannot contain {char}: a clause number is letters, digits and "
            "“. - _ ( )”, starts with a letter or a digit and has at most {max} characters, such as 5.2 or A-3.",
        ),
        "clause.duplicate": (
            "标准 {standard} 已有编号为 {code} 的条款（{state}：{requirement}）。请换一个编号，或修改那一条。",
            "The standard {standard} already has a clause numbered {code} ({state}: {requirement}). Choose "
            "another number, or edit that clause.",
        ),
        "clause.state_active": ("启用中", "in use"),
        "clause.state_inactive": ("已停用", "not in use"),
        "clause.loaded": (
            "已载入默认条款：新增 {added} 条，已有 {kept} 条保持不变（文件共 {total} 条）。",
            "Default clauses loaded: {added} added, {kept} already there and left as they are ({total} in "
            "the file).",
        ),
        "clause.columns": (
            "标准|编号|要素|应/宜|启用|要求",
            "standard|number|element|shall/should|in use|requirement",
        ),
        "clause.listed": (
            "{count} 条条款，其中启用 {active} 条。",
            "{count:clause|clauses}, {active} in use.",
        ),
        "inspection.bad_date": (
            "基地“{base}”的{kind}日期 {day} 无效：考察记录已经发生的事，日期不能晚于今天（{today}），也不能早于 "
            "2000 年。请改正日期。",
            "The date {day} of the {kind} of “{base}” is invalid: an inspection records a visit that took place, "
            "so it is not after today ({today}) nor before 2000. Correct the date.",
        ),
        "inspection.cert_other_base": (
            "所选的认定（{level}）属于基地“{other}”，不是“{base}”。请选择“{base}”自己的认定，或不关联认定。",
            "The certification chosen ({level}) belongs to “{other}”, not to “{base}”. Choose a certification "
            "of “{base}”, or none.",
        ),
        "inspection.no_clauses": (
            "还没有启用的标准条款，无法生成检查表。请先在“设置 → 标准条款”中载入默认条款或添加条款"
            "（或运行 recuperation clauses load-default）。",
            "No standard clause is in use, so there is no checklist to make. Load the default clauses or add "
            "clauses first under Settings → Standard clauses (or run recuperation clauses load-default).",
        ),
        "inspection.no_clauses_in": (
            "标准“{standard}”没有启用的条款。有启用条款的标准：{standards}。",
            "The standard “{standard}” has no clause in use. Standards with clauses in use: {standards}.",
        ),
        "inspection.base_fixed": (
            "考察记录的基地（“{base}”）不能更改：请为另一个基地新建一次考察。",
            "The base of an inspection (“{base}”) cannot be changed: start a new inspection for the other base.",
        ),
        "inspection.checked_before": (
            "基地“{base}”：条款 {code} 的检查日期是 {day}，早于新的考察日期 {start}。请先改正该条的检查日期，"
            "或把考察日期定在 {day} 或之前。",
            "“{base}”: the clause {code} was checked on {day}, before the new inspection date {start}. Correct "
            "that clause's date first, or date the inspection on or before {day}.",
        ),
        "inspection.bad_result": (
            "基地“{base}”条款 {code}：结果“{value}”无效，应为 {allowed}，或留空（尚未检查）。",
            "“{base}”, clause {code}: the result “{value}” is invalid; write {allowed}, or leave it empty "
            "(not checked yet).",
        ),
        "inspection.bad_checked_on": (
            "基地“{base}”条款 {code}：检查日期 {day} 无效，应在考察日期 {start} 至今天（{today}）之间。",
            "“{base}”, clause {code}: the date checked, {day}, is invalid; it lies between the inspection date "
            "{start} and today ({today}).",
        ),
        "inspection.unknown_code": (
            "基地“{base}”{day}的{kind}检查表中没有条款 {code}。请核对编号（检查表按考察当天启用的条款生成）。",
            "The checklist of the {kind} of “{base}” on {day} has no clause {code}. Check the number (the "
            "checklist holds the clauses in use on the day the inspection was started).",
        ),
        "inspection.duplicate_code": (
            "条款 {code} 的结果填了两次：每一条只填一次。",
            "The clause {code} is given twice: give each clause once.",
        ),
        "inspection.unchecked": (
            "基地“{base}”{day}的{kind}还有 {count} 条没有检查（{codes}）：每一条填写符合、不符合或不适用后，才能"
            "写结论或记录认定步骤。",
            "The {kind} of “{base}” on {day} has {count:clause|clauses} not checked yet ({codes}): mark each "
            "met, not met or not applicable before the conclusion or the certification step.",
        ),
        "inspection.no_conclusion": (
            "基地“{base}”{day}的{kind}还没有考察结论：请先写结论，再记录认定步骤。",
            "The {kind} of “{base}” on {day} has no conclusion yet: write it, then record the certification "
            "step.",
        ),
        "inspection.delete_evidence": (
            "基地“{base}”{day}的{kind}已记为认定的“{step}”步骤的依据，不能删除。",
            "The {kind} of “{base}” on {day} is the evidence of the certification's step “{step}” and cannot be "
            "deleted.",
        ),
        "inspection.routine_no_step": (
            "基地“{base}”{day}的日常检查不是认定的步骤：只有实地考察和复核可以记录为认定步骤。",
            "The routine check of “{base}” on {day} is no certification step: only a site inspection or a "
            "re-check is recorded as one.",
        ),
        "inspection.no_certification": (
            "基地“{base}”{day}的{kind}没有关联认定：请先在考察信息中选择它所属的认定，再记录认定步骤。",
            "The {kind} of “{base}” on {day} is linked to no certification: choose the certification it belongs "
            "to first, then record the step.",
        ),
        "inspection.step_recorded": (
            "基地“{base}”{day}的{kind}已记录为认定的“{step}”步骤，不再重复记录。",
            "The {kind} of “{base}” on {day} is already recorded as the certification's step “{step}”; it is "
            "not recorded twice.",
        ),
        "inspection.file.no_table": (
            "{path} 中找不到检查表：需要有{headers}两列的表头（可先导出检查表，在导出的文件上填写）。",
            "{path} holds no checklist: a header row with the columns {headers} is needed (export the "
            "checklist and fill in the exported file).",
        ),
        "inspection.file.not_of_base": (
            "基地“{base}”没有编号为 {number} 的考察。请核对考察编号（在基地的“实地考察”页可以看到）。",
            "“{base}” has no inspection numbered {number}. Check the number (the base's Inspections tab shows "
            "it).",
        ),
        "inspection.file.other_base": (
            "这是基地“{said}”的检查表，不是“{base}”的。请核对基地，或用正确的基地名称导入。",
            "This is the checklist of “{said}”, not of “{base}”. Check the base, or import it for the right "
            "base.",
        ),
        "inspection.file.unknown_number": (
            "考察编号“{value}”不是基地“{base}”的考察。请核对编号；新的考察请把编号留空。",
            "The inspection number “{value}” is no inspection of “{base}”. Check the number; leave it empty "
            "for a new inspection.",
        ),
        "inspection.file.option_differs": (
            "检查表写的是“{said}”，命令行给的是“{given}”：两者不一致，请改正其中之一（或不给命令行选项）。",
            "The checklist says “{said}” and the command line “{given}”: they differ; correct one of them (or "
            "leave the option out).",
        ),
        "inspection.file.already_there": (
            "基地“{base}”已有 {day} 的{kind}（考察编号 {number}），这份检查表没有写考察编号，导入会再新建一次。"
            "要把结果写入那次考察，请在“考察编号”中填写 {number} 后再导入；确是同一天的另一次考察，请先在程序中"
            "新建，再导出它的检查表填写。",
            "“{base}” already has a {kind} on {day} (inspection number {number}) and this checklist names no "
            "inspection, so importing it would make another one. To write the results to that inspection, "
            "fill in {number} as its inspection number and import again; for another inspection on the same "
            "day, start it in the program first and fill in its exported checklist.",
        ),
        "inspection.file.needs": (
            "新的考察需要{what}：请在检查表中填写，或在命令行用 {option} 给出。",
            "A new inspection needs its {what}: fill it in on the checklist, or give {option} on the command "
            "line.",
        ),
        "inspection.file.bad_result": (
            "结果“{value}”无效：请填写 {allowed}（也可写 √、×、/），尚未检查的留空。",
            "The result “{value}” is invalid: write {allowed} (or √, ×, /), and leave it empty when not "
            "checked yet.",
        ),
        "inspection.file.unknown_code": (
            "检查表中没有编号为“{value}”的条款。请核对编号；停用的条款请先在“设置 → 标准条款”中启用。",
            "The checklist has no clause numbered “{value}”. Check the number; a clause not in use must first "
            "be put back in use under Settings → Standard clauses.",
        ),
        "inspection.file.no_code": (
            "这一行填了结果或说明，但没有条款编号：请填写编号。",
            "This row has a result or a note but no clause number: fill in the number.",
        ),
        "inspection.file.repeated": (
            "条款 {code} 在第 {first} 行已经填过：每一条只填一行。",
            "The clause {code} is already on row {first}: give each clause one row.",
        ),
        "inspection.file.refused": (
            "检查表有 {errors} 处错误，未写入任何数据。请按每一处的说明改正后重新导入。",
            "The checklist has {errors:error|errors}; nothing was written. Correct each as it says and import "
            "again.",
        ),
        "inspection.cli.bad_kind": (
            "考察类型“{value}”无效，可选：{choices}。",
            "The inspection kind “{value}” is invalid; choose site_inspection, recheck or routine.",
        ),
        "inspection.cli.new": ("新建考察（{inspection}）", "a new inspection ({inspection})"),
        "inspection.cli.existing": ("考察 #{number}（{inspection}）", "inspection #{number} ({inspection})"),
        "inspection.cli.done": (
            "已写入{what}：检查表 {rows} 行，修改 {changed} 条，未变 {unchanged} 条；符合 {met}，不符合 {not_met}，"
            "不适用 {na}。",
            "Written to {what}: {rows:row|rows} of the checklist, {changed} changed, {unchanged} unchanged; "
            "{met} met, {not_met} not met, {na} not applicable.",
        ),
        "inspection.cli.dry_run": (
            "检查完毕，未写入。导入将写入{what}：检查表 {rows} 行，修改 {changed} 条，未变 {unchanged} 条；符合 {met}，"
            "不符合 {not_met}，不适用 {na}。",
            "Checked; nothing written. Importing writes to {what}: {rows:row|rows} of the checklist, {changed} "
            "changed, {unchanged} unchanged; {met} met, {not_met} not met, {na} not applicable.",
        ),
        "inspection.cli.unchanged": (
            "{what}与检查表相同（{rows} 行），没有要写入的修改。",
            "{what} is as the checklist says ({rows:row|rows}); there is nothing to write.",
        ),
        "inspection.cli.exported": (
            "已导出基地“{base}”考察 #{number} 的检查表（{rows} 条）到 {path}。",
            "The checklist of inspection #{number} of “{base}” ({rows:clause|clauses}) exported to {path}.",
        ),
        "inspection.cli.exported_blank": (
            "已导出基地“{base}”的空白检查表（{rows} 条）到 {path}。",
            "A blank checklist for “{base}” ({rows:clause|clauses}) exported to {path}.",
        ),
        "inspection.cli.yes": ("是", "yes"),
        "inspection.cli.no": ("否", "no"),
    }
)
