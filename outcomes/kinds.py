"""The outcome kinds seeded by the data migration (issue 21 item 1; staff add more in the portal).

Each row: code, name, group, unit, identifier label, identifier required, patent, evidence required,
counts for awards, has level, has amount, enterprise-declared."""

T, F = True, False  # short names that keep one kind to a line

KINDS = [
    # code, name, group, unit, id label, id req, patent, evidence, awards, level, amount, declared
    ("patent_invention_applied", "发明专利申请", "知识产权", "件", "申请号", T, T, T, T, F, F, F),
    ("patent_invention_granted", "发明专利授权", "知识产权", "件", "专利号", T, T, T, T, F, F, F),
    ("patent_utility", "实用新型专利", "知识产权", "件", "专利号", T, T, T, T, F, F, F),
    ("software_copyright", "软件著作权", "知识产权", "件", "登记号", T, F, T, T, F, F, F),
    ("standard", "标准制（修）订", "知识产权", "项", "标准号", F, F, T, T, T, F, F),
    ("tech_contract", "技术合同登记", "成果转化", "项", "合同登记号", T, F, T, T, F, T, F),
    ("transfer", "成果转让", "成果转化", "项", "合同编号", T, F, T, T, F, T, F),
    ("licence", "成果许可", "成果转化", "项", "合同编号", T, F, T, T, F, T, F),
    ("equity", "作价入股", "成果转化", "项", "协议编号", T, F, T, T, F, T, F),
    ("new_product", "新产品", "新产品新工艺", "项", "", F, F, T, T, T, F, F),
    ("new_process", "新工艺", "新产品新工艺", "项", "", F, F, T, T, T, F, F),
    ("new_sales", "新增销售收入", "经济效益（企业自报）", "元", "", F, F, F, F, F, T, T),
    ("new_tax", "新增税收", "经济效益（企业自报）", "元", "", F, F, F, F, F, T, T),
    ("iur_project", "产学研合作项目", "合作项目", "项", "合同编号", F, F, T, T, F, T, F),
    ("joint_plan_project", "联合承担科技计划项目", "合作项目", "项", "项目编号", T, F, T, T, T, T, F),
    ("people_trained", "培养人才", "人才", "人", "", F, F, F, T, F, F, F),
    ("people_recruited", "引进人才", "人才", "人", "", F, F, F, T, F, F, F),
    ("platform_grad_station", "研究生工作站", "创新平台", "个", "", F, F, T, T, T, F, F),
    ("platform_eng_center", "工程技术研究中心", "创新平台", "个", "", F, F, T, T, T, F, F),
    ("platform_ent_center", "企业技术中心", "创新平台", "个", "", F, F, T, T, T, F, F),
    ("platform_postdoc", "博士后工作站", "创新平台", "个", "", F, F, T, T, T, F, F),
    ("platform_new_rd", "新型研发机构", "创新平台", "个", "", F, F, T, T, T, F, F),
    ("recognition_hnte", "高新技术企业认定", "资质荣誉", "项", "证书编号", T, F, T, T, F, F, F),
    ("recognition_tsme", "科技型中小企业入库", "资质荣誉", "项", "入库登记编号", T, F, T, T, F, F, F),
    ("prize", "科技奖励", "资质荣誉", "项", "", F, F, T, T, T, F, F),
    ("paper", "论文", "学术成果", "篇", "DOI", F, F, T, T, F, F, F),
]
del T, F

FIELDS = (
    "code", "name", "group", "unit", "identifier_label", "identifier_required", "is_patent",
    "evidence_required", "counts_for_awards", "has_level", "has_amount", "enterprise_declared",
)


def kind_rows():
    for order, row in enumerate(KINDS, start=1):
        yield {**dict(zip(FIELDS, row, strict=True)), "order": order * 10}


def ensure_kinds() -> int:
    """Load the kinds when the table is empty (a database flushed after the migrations ran: tests, a
    restored dump); returns how many were created. The migration 0002 does the same on migrate."""
    from .models import OutcomeKind

    if OutcomeKind.objects.exists():
        return 0
    created = 0
    for row in kind_rows():
        code = row.pop("code")
        created += OutcomeKind.objects.get_or_create(code=code, defaults=row)[1]
    return created
