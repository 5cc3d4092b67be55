"""Each operation in Chinese: its summary (put before the route's English one) and, for a
command, what it records. A read records no event; whether it is written to the access log
is read from the access table (api/access/rules.py), not written here.

tests/api/test_openapi_docs.py checks that every operation has a row, so a new route
cannot reach the document without one.
"""

from __future__ import annotations

# (method, path) → (中文摘要, 记录什么). None: a read, recording no event.
OPERATIONS: dict[tuple[str, str], tuple[str, str | None]] = {
    # health, calendar, policy
    ("GET", "/health"): ("健康状况", None),
    ("GET", "/health/live"): ("存活检查", None),
    ("GET", "/health/ready"): ("就绪检查", None),
    ("GET", "/holiday-tables/{year}"): ("查看节假日表", None),
    ("PUT", "/holiday-tables/{year}"): (
        "载入或替换节假日表",
        "记录 HolidayTable.HolidayTableLoaded（首次载入）"
        "或 HolidayTableReplaced（替换，须说明理由）",
    ),
    ("GET", "/working-days/deadline"): ("计算工作日期限", None),
    ("GET", "/monitoring/schedule"): ("监控期安排", None),
    # registry
    ("POST", "/jurisdictions"): ("登记行政区划", "记录 Jurisdiction.Registered"),
    ("POST", "/organisations"): ("登记机构", "记录 Organisation.Registered"),
    ("GET", "/organisations/{organisation_id}"): ("查看机构", None),
    ("POST", "/organisations/{organisation_id}/supervisor"): (
        "指定主管部门",
        "记录 Organisation.SupervisorAssigned",
    ),
    ("POST", "/persons"): ("登记人员", "记录 Person.Registered"),
    ("GET", "/persons/{person_id}"): ("查看人员", None),
    ("POST", "/persons/{person_id}/roles"): ("授予角色", "记录 Person.RoleGranted"),
    # performance objects and goals
    ("POST", "/objects"): ("登记绩效对象", "记录 PerformanceObject.Registered"),
    ("GET", "/objects"): ("绩效对象列表", None),
    ("GET", "/objects/{object_id}"): ("查看绩效对象", None),
    ("GET", "/objects/{object_id}/history"): ("绩效对象全过程记录", None),
    ("GET", "/objects/{object_id}/diff"): ("两个时点之间的变化", None),
    ("POST", "/objects/{object_id}/goal/submit"): (
        "申报绩效目标",
        "记录 PerformanceObject.GoalSubmitted（退回后重新申报为 GoalResubmitted）",
    ),
    ("POST", "/objects/{object_id}/goal/reviews"): (
        "审核绩效目标（初审、复核、终审）",
        "记录 PerformanceObject.GoalReviewed",
    ),
    ("POST", "/objects/{object_id}/goal/approve"): (
        "批复绩效目标",
        "记录 PerformanceObject.GoalApproved",
    ),
    ("POST", "/objects/{object_id}/goal/adjustment"): (
        "申请调整绩效目标",
        "记录 PerformanceObject.GoalAdjustmentApplied",
    ),
    ("POST", "/objects/{object_id}/goal/adjustment/review"): (
        "初审目标调整申请",
        "记录 PerformanceObject.GoalAdjustmentReviewed",
    ),
    ("POST", "/objects/{object_id}/goal/adjustment/approval"): (
        "批复目标调整",
        "记录 PerformanceObject.GoalAdjusted（调整后的目标即时生效）",
    ),
    # the indicator library
    ("GET", "/library/indicators"): ("选取指标（指标库）", None),
    ("GET", "/library/indicators/{entry_id}"): ("查看指标库条目及其各版本", None),
    ("POST", "/library/indicators"): ("新增指标库条目", "记录 LibraryIndicator.Added"),
    ("POST", "/library/indicators/{entry_id}/revision"): (
        "修订指标库条目",
        "记录 LibraryIndicator.Revised（新版本；已起草的目标保留原版本）",
    ),
    ("POST", "/library/indicators/{entry_id}/retirement"): (
        "停用指标库条目",
        "记录 LibraryIndicator.Retired",
    ),
    ("POST", "/library/indicators/{entry_id}/grants"): (
        "授权其他部门使用个性指标",
        "记录 LibraryIndicator.Granted",
    ),
    # ex-ante assessment and the project library
    ("GET", "/objects/{object_id}/ex-ante"): ("查看事前绩效评估", None),
    ("POST", "/objects/{object_id}/ex-ante/declare"): (
        "申报项目（判定是否须事前评估）",
        "记录 ExAnteAssessment.RequirementJudged（再次申报为 RequirementRejudged）",
    ),
    ("POST", "/objects/{object_id}/ex-ante/submit"): (
        "提交事前绩效评估",
        "记录 ExAnteAssessment.Submitted",
    ),
    ("POST", "/objects/{object_id}/ex-ante/review"): (
        "财政审核事前评估",
        "记录 ExAnteAssessment.Reviewed",
    ),
    ("POST", "/objects/{object_id}/ex-ante/commission"): (
        "委托事前评估（财政或第三方）",
        "记录 ExAnteAssessment.Commissioned",
    ),
    ("POST", "/objects/{object_id}/library/admit"): (
        "项目入库",
        "记录 PerformanceObject.AdmittedToLibrary",
    ),
    # monitoring
    ("POST", "/objects/{object_id}/monitoring/tasks"): (
        "下达监控任务",
        "记录 MonitoringTask.Opened",
    ),
    ("POST", "/monitoring/rounds"): (
        "批量下达一期监控任务",
        "一次写入为每个对象记录 MonitoringTask.Opened",
    ),
    ("GET", "/monitoring/tasks"): ("监控任务列表", None),
    ("GET", "/monitoring/tasks/{task_id}"): ("查看监控任务", None),
    ("POST", "/monitoring/tasks/{task_id}/entry"): (
        "填报运行监控",
        "记录 MonitoringTask.EntrySubmitted 及按政策即时判定的 EntryJudged",
    ),
    ("POST", "/monitoring/tasks/{task_id}/entry/correct"): (
        "更正运行监控填报",
        "记录 MonitoringTask.EntryCorrected（原填报保留）及重新判定的 EntryJudged",
    ),
    ("POST", "/monitoring/tasks/{task_id}/follow-ups"): (
        "监控后续处理（责令纠偏、调减预算、暂停拨付、收回资金）",
        "记录 MonitoringTask.CorrectionOrdered、BudgetReduced、PaymentsSuspended "
        "或 FundsRecovered 之一",
    ),
    # Excel forms
    ("GET", "/objects/{object_id}/forms/goal"): ("导出绩效目标申报表", None),
    ("POST", "/objects/{object_id}/forms/goal"): (
        "导入绩效目标申报表",
        "与对应命令相同：GoalSubmitted、GoalResubmitted 或 GoalAdjustmentApplied"
        "（dry_run 时不记录）",
    ),
    ("GET", "/monitoring/tasks/{task_id}/form"): ("导出绩效运行监控表", None),
    ("POST", "/monitoring/tasks/{task_id}/form"): (
        "导入绩效运行监控表",
        "与对应命令相同：EntrySubmitted 或 EntryCorrected，及 EntryJudged（dry_run 时不记录）",
    ),
    ("GET", "/objects/{object_id}/forms/self-evaluation"): ("导出绩效自评表", None),
    ("POST", "/objects/{object_id}/forms/self-evaluation"): (
        "导入绩效自评表",
        "与对应命令相同：SelfEvaluationSubmitted 或 SelfEvaluationRevised（dry_run 时不记录）",
    ),
    # evaluations and result application
    ("POST", "/objects/{object_id}/evaluations/self"): (
        "提交单位自评",
        "记录 SelfEvaluation.SelfEvaluationSubmitted（得分由目标指标计算）",
    ),
    ("POST", "/objects/{object_id}/evaluations"): (
        "开展部门评价或财政重点评价",
        "记录 KeyEvaluation.EvaluationOpened",
    ),
    ("GET", "/evaluations"): ("评价列表", None),
    ("GET", "/evaluations/{evaluation_id}"): ("查看评价", None),
    ("POST", "/evaluations/{evaluation_id}/self-revision"): (
        "修订单位自评",
        "记录 SelfEvaluation.SelfEvaluationRevised",
    ),
    ("POST", "/evaluations/{evaluation_id}/third-party"): (
        "委托第三方评价",
        "记录 KeyEvaluation.ThirdPartyAssigned",
    ),
    ("POST", "/evaluations/{evaluation_id}/scores"): (
        "评价打分",
        "记录 KeyEvaluation.EvaluationScored",
    ),
    ("POST", "/evaluations/{evaluation_id}/score-revisions"): (
        "修订评分",
        "记录 KeyEvaluation.ScoreRevised 或 SpotCheck.ScoreRevised（新旧分数均保留）；"
        "抽查改分后差距超过政策限度时另记 FundingBlock.FundingBlocked 或 FundingBlockedAgain",
    ),
    ("POST", "/evaluations/{evaluation_id}/recheck"): (
        "抽查复核单位自评",
        "记录 SpotCheck.SpotCheckRecorded；差距超过政策限度时同一写入另记 "
        "FundingBlock.FundingBlocked（已解除的再次冻结为 FundingBlockedAgain）",
    ),
    ("GET", "/evaluations/{evaluation_id}/proposal"): ("结果应用建议", None),
    ("POST", "/evaluations/{evaluation_id}/result"): (
        "结果应用",
        "记录 ResultApplication.ResultApplied",
    ),
    ("POST", "/evaluations/{evaluation_id}/result/correction"): (
        "更正结果应用",
        "记录 ResultApplication.ResultCorrected（原结果保留）",
    ),
    ("GET", "/funding-blocks"): ("整改到位前不予安排资金的项目", None),
    ("GET", "/results"): ("结果应用列表", None),
    # rectification
    ("POST", "/objects/{object_id}/rectifications"): (
        "下达整改通知",
        "记录 RectificationNotice.RectificationNoticeIssued，并在部门整改台账记录 "
        "DepartmentRectifications.NoticeListed",
    ),
    ("GET", "/rectifications"): ("整改通知列表", None),
    ("GET", "/rectifications/{notice_id}"): ("查看整改通知", None),
    ("POST", "/rectifications/{notice_id}/response"): (
        "部门书面反馈整改情况",
        "记录 RectificationNotice.RectificationReported",
    ),
    ("POST", "/rectifications/{notice_id}/verification"): (
        "确认整改到位",
        "记录 RectificationNotice.RectificationVerified、部门整改台账的 "
        "DepartmentRectifications.NoticeSettled，"
        "及所解除资金冻结的 FundingBlock.FundingBlockLifted",
    ),
    ("POST", "/rectifications/{notice_id}/rejection"): (
        "退回整改反馈",
        "记录 RectificationNotice.RectificationRejected",
    ),
    # accountability cases
    ("POST", "/cases"): ("立案", "记录 AccountabilityCase.Opened"),
    ("GET", "/cases"): ("问责案件列表", None),
    ("GET", "/cases/naming/{person_id}"): ("涉及某人的案件", None),
    ("GET", "/cases/{case_id}"): ("查看案件", None),
    ("GET", "/cases/{case_id}/package"): ("移送材料", None),
    ("GET", "/cases/{case_id}/package.pdf"): ("移送材料（PDF）", None),
    ("GET", "/cases/{case_id}/evidence-check"): ("核对所引证据是否未变", None),
    ("POST", "/cases/{case_id}/evidence/events"): (
        "引用账本事件为证据",
        "记录 AccountabilityCase.EventCited",
    ),
    ("POST", "/cases/{case_id}/evidence/documents"): (
        "附加证据文件",
        "记录 AccountabilityCase.DocumentsAttached",
    ),
    ("POST", "/cases/{case_id}/responsible-persons"): (
        "认定责任人",
        "记录 AccountabilityCase.ResponsiblePersonNamed",
    ),
    ("POST", "/cases/{case_id}/referral"): (
        "移送纪检监察",
        "记录 AccountabilityCase.Referred",
    ),
    ("POST", "/cases/{case_id}/closure"): (
        "不予移送并结案",
        "记录 AccountabilityCase.ClosedWithoutReferral",
    ),
    ("POST", "/cases/{case_id}/receipt"): (
        "纪检监察签收移送",
        "记录 AccountabilityCase.ReferralReceived",
    ),
    ("POST", "/cases/{case_id}/outcome"): (
        "纪检监察记录处理结果并结案",
        "记录 AccountabilityCase.OutcomeDecided",
    ),
    # findings
    ("GET", "/findings"): ("发现的问题列表", None),
    ("GET", "/findings/{finding_id}"): ("查看发现的问题", None),
    ("POST", "/findings/{finding_id}/dismissal"): (
        "排除发现的问题（说明理由）",
        "记录 FindingDismissal.Dismissed",
    ),
    ("POST", "/findings/{finding_id}/citation"): (
        "将问题所涉事件引入问责案件",
        "记录 FindingCitation.Cited，并在案件中记录 AccountabilityCase.EventCited",
    ),
    # ledgers, log, time travel
    ("GET", "/ledgers/persons/{person_id}"): ("个人履职台账", None),
    ("GET", "/ledgers/persons/{person_id}/accountability"): ("个人问责台账", None),
    ("GET", "/ledgers/departments/{org_id}"): ("部门台账", None),
    ("GET", "/ledgers/departments/{org_id}/accountability"): ("部门问责台账", None),
    ("GET", "/ledgers/jurisdictions/{mof_div_code}/{fiscal_year}"): ("本级年度台账", None),
    ("GET", "/log/search"): ("检索账本", None),
    ("GET", "/access-log"): ("访问日志", None),
    ("GET", "/security-log"): ("安全日志（被拒的不相容职务操作）", None),
    # integrity
    ("GET", "/integrity/tree-head"): ("最新签名树头", None),
    ("POST", "/integrity/tree-heads"): (
        "立即签署树头",
        "把最新事件链入默克尔树并保存一个签名树头（不是业务事件）",
    ),
    ("GET", "/integrity/public-key"): ("签名公钥", None),
    ("GET", "/integrity/public-keys"): ("全部验签公钥", None),
    ("GET", "/integrity/proofs/inclusion"): ("事件包含证明", None),
    ("GET", "/integrity/evidence/{position}"): ("证据包文件", None),
    ("GET", "/integrity/proofs/consistency"): ("树头一致性证明", None),
    # boards, coverage, red flags
    ("GET", "/boards/npc/{mof_div_code}/{fiscal_year}"): ("人大监督看板", None),
    ("GET", "/boards/npc/{mof_div_code}/{fiscal_year}/departments/{department_id}"): (
        "人大监督看板：单个部门",
        None,
    ),
    ("GET", "/boards/finance/{mof_div_code}/{fiscal_year}"): ("财政看板", None),
    ("GET", "/coverage"): ("覆盖面", None),
    ("GET", "/reports/annual"): ("年度预算绩效管理工作综合报告（PDF 或 Word）", None),
    ("GET", "/evaluations/{evaluation_id}/report"): ("绩效评价报告（PDF 或 Word）", None),
    ("GET", "/red-flags/{mof_div_code}/{fiscal_year}"): ("报送数据疑点", None),
    # supervision
    ("GET", "/supervision/key-projects"): ("拟报人大的重点项目", None),
    ("POST", "/supervision/npc-submissions"): (
        "随预算草案报送人大",
        "记录 NpcSubmission.Submitted",
    ),
    ("GET", "/supervision/npc-submissions"): ("报送人大列表", None),
    ("GET", "/supervision/npc-submissions/{submission_id}"): ("查看报送人大及测评", None),
    ("POST", "/supervision/npc-submissions/{submission_id}/ratings"): (
        "人大代表满意度测评",
        "记录 NpcSubmission.SatisfactionRated",
    ),
    ("POST", "/supervision/publications"): ("登记信息公开", "记录 Disclosure.Published"),
    ("GET", "/supervision/publications"): ("信息公开列表", None),
    ("POST", "/supervision/work-scores"): ("部门绩效管理工作考核", "记录 WorkAssessment.Scored"),
    ("GET", "/supervision/work-scores"): ("工作考核得分及建议扣减", None),
    ("GET", "/supervision/work-scores/{assessment_id}"): ("查看工作考核得分", None),
    ("POST", "/supervision/work-scores/{assessment_id}/revision"): (
        "修订工作考核得分",
        "记录 WorkAssessment.ScoreRevised（原得分保留在历史中）",
    ),
}
