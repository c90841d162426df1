"""Demo data of the talent pool: institutions of every kind, nominators, nominations in every state, and
the demo expert 张明远 (user zj_zhang) admitted into the pool. Idempotent (natural key: ID number)."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.enums import Role
from accounts.models import User
from accounts.seed import DEMO_PASSWORD
from accounts.services import role_grant
from core.identifiers import make_id_check_digit

from . import services
from .models import Discipline, Expert, Institution
from .reference import load_reference_data

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

# name, extra institution flags, category, contact
INSTITUTIONS = [
    ("中国石油大学（北京）", {}, "university", ("刘建国", "010-89733000", "liujg@cup.edu.cn")),
    ("华北电力大学", {}, "university", ("马晓红", "010-61772000", "maxh@ncepu.edu.cn")),
    ("北京大学", {}, "university", ("钱伟", "010-62751000", "qianw@pku.edu.cn")),
    ("首都师范大学", {}, "university", ("郭丽", "010-68902000", "guoli@cnu.edu.cn")),
    ("北京协和医院", {"is_hospital_3a": True}, "hospital", ("韩冰", "010-69156114", "hanb@pumch.cn")),
    ("北京清华长庚医院", {}, "hospital", ("林峰", "010-56118899", "linf@btch.edu.cn")),
    ("昌平实验室", {}, "research", ("秦宇", "010-80720000", "qiny@cplab.ac.cn")),
    ("北京生命科学研究所", {}, "research", ("许静", "010-80726688", "xuj@nibs.ac.cn")),
]
# username, full name, email, institution
NOMINATORS = [
    ("tj_cup", None, None, "中国石油大学（北京）"),
    ("tj_ncepu", "马晓红", "maxh@ncepu.edu.cn", "华北电力大学"),
    ("tj_pumch", "韩冰", "hanb@pumch.cn", "北京协和医院"),
    ("tj_cnu", "郭丽", "guoli@cnu.edu.cn", "首都师范大学"),
]


def _id(region: str, born: date, seq: str) -> str:
    first17 = f"{region}{born:%Y%m%d}{seq}"
    return first17 + make_id_check_digit(first17)


# (name, gender, birth, id region+seq, institution, department, discipline, fields, keywords, degree, title,
#  title level, years of work, core_ip, final state, extra)
NOMINATIONS = [
    ("张明远", "male", date(1978, 3, 12), ("110108", "031"), "中国石油大学（北京）", "石油工程学院", "石油与天然气工程",
     "油气田开发；提高采收率；非常规油气藏数值模拟", "油气田开发，提高采收率，CO2驱油，页岩油", "doctorate", "教授", "senior",
     20, True, "admitted", {"user": "zj_zhang", "phone": "13901012345", "email": "zhangmy@cup.edu.cn"}),
    ("李文博", "male", date(1986, 7, 2), ("110114", "057"), "中国石油大学（北京）", "新能源与材料学院", "材料科学与工程",
     "储能材料；固态电池电解质", "储能材料，固态电池，锂离子电池", "doctorate", "副教授", "associate_senior", 8, False,
     "draft", {}),
    ("王慧敏", "female", date(1982, 11, 20), ("110105", "064"), "中国石油大学（北京）", "化学工程与环境学院",
     "化学工程与技术", "催化裂化；重油加工；工业催化剂", "催化裂化，重油加工，催化剂", "doctorate", "研究员", "senior", 14,
     False, "submitted", {}),
    ("赵志强", "male", date(1984, 5, 9), ("130102", "017"), "中国石油大学（北京）", "机械与储运工程学院", "机械工程",
     "油气储运装备；管道完整性", "管道完整性，储运装备，腐蚀检测", "master", "高级工程师", "associate_senior", 15, False,
     "returned", {}),
    ("陈晓东", "male", date(1996, 9, 15), ("110114", "093"), "中国石油大学（北京）", "人工智能学院", "计算机科学与技术",
     "油气智能勘探；地震数据深度学习", "人工智能，地震解释，深度学习", "master", "工程师", "intermediate", 1, True,
     "submitted", {"core_ip_description": "发明专利“一种基于深度学习的地震断层识别方法”已在昌平企业实施",
                   "justification": "拥有地震断层智能识别核心发明专利，昌平区油服企业急需，申请放宽工作年限与职称条件。"}),
    ("刘海燕", "female", date(1990, 1, 28), ("110102", "046"), "中国石油大学（北京）", "经济管理学院", "工商管理学",
     "能源企业管理", "能源管理，企业战略", "master", "讲师", "intermediate", 6, False, "rejected", {}),
    ("孙立新", "male", date(1980, 4, 3), ("110114", "015"), "华北电力大学", "电气与电子工程学院", "电气工程",
     "新能源并网；储能系统控制", "新能源并网，储能，虚拟电厂", "doctorate", "教授", "senior", 17, False, "submitted", {}),
    ("周雅琴", "female", date(1979, 8, 18), ("110101", "028"), "北京协和医院", "风湿免疫科", "临床医学",
     "抗体药物临床研究；自身免疫病", "抗体药物，临床试验，自身免疫", "doctorate", "主任医师", "senior", 19, False,
     "admitted", {}),
    ("吴俊", "male", date(1985, 12, 1), ("110108", "052"), "首都师范大学", "化学系", "化学",
     "有机合成方法学", "有机合成，药物中间体", "doctorate", "副教授", "associate_senior", 10, False, "submitted", {}),
]


def seed(stdout) -> None:
    load_reference_data(Discipline, Institution)
    institutions = {}
    for name, flags, category, (contact, phone, email) in INSTITUTIONS:
        inst, _ = Institution.objects.get_or_create(name=name, defaults={"category": category, **flags})
        if not inst.contact_name:
            inst.contact_name, inst.contact_phone, inst.contact_email = contact, phone, email
            inst.save(update_fields=["contact_name", "contact_phone", "contact_email", "updated_at"])
        institutions[name] = inst
    staff = User.objects.get(username="kw_wang")
    nominators = {}
    for username, full_name, email, inst_name in NOMINATORS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, full_name=full_name, email=email,
                        password_changed_at=timezone.now())
            user.set_password(DEMO_PASSWORD)
            user.save()
        services.institution_member_set(user=user, institution=institutions[inst_name], by=None,
                                        position="科研院（处）")
        nominators[inst_name] = user

    today = timezone.localdate()
    created = 0
    for (name, gender, born, (region, seq), inst_name, dept, discipline, fields, keywords, degree, title, level,
         years, core_ip, final, extra) in NOMINATIONS:
        code = _id(region, born, seq)
        if Expert.objects.filter(id_number_hash=services.id_number_hash(code)).exists():
            continue
        institution = institutions[inst_name]
        nominator = nominators.get(inst_name)
        data = {
            "name": name, "gender": gender, "department": dept,
            "discipline": Discipline.objects.get(name=discipline), "research_fields": fields,
            "keywords": keywords, "degree": degree, "title": title, "title_level": level,
            "work_start": today - relativedelta(years=years, months=2), "core_ip": core_ip,
            "core_ip_description": extra.get("core_ip_description", ""),
            "phone": extra.get("phone", f"139{abs(hash(code)) % 10**8:08d}"),
            "email": extra.get("email", ""), "declaration": final != "draft",
            "exception_justification": extra.get("justification", ""),
        }
        files = {}
        if final != "draft":
            files["recommendation_letter"] = ContentFile(PDF, name="letter.pdf")
        if core_ip:
            files["core_ip_evidence"] = ContentFile(PDF, name="evidence.pdf")
        achievements = [
            {"kind": "paper", "title": f"{keywords.split('，')[0]}研究进展", "year": today.year - 2,
             "detail": "中文核心期刊"},
            {"kind": "patent", "title": f"一种{keywords.split('，')[-1]}方法及装置", "year": today.year - 3,
             "detail": "发明专利 ZL2021" + seq + "0001.X"},
        ]
        nomination = services.nomination_create(institution=institution, by=nominator, data=data, id_number=code,
                                                achievements=achievements, files=files)
        created += 1
        if final == "draft":
            continue
        nomination = services.nomination_submit(nomination=nomination, by=nominator)
        if final == "returned":
            services.nomination_return(nomination=nomination, by=staff,
                                       reason="推荐函未加盖单位公章，请重新上传盖章扫描件。")
        elif final == "rejected":
            services.nomination_reject(nomination=nomination, by=staff,
                                       reason="不满足学位或职称条件，且无核心知识产权，不符合放宽条件。")
        elif final == "admitted":
            username = extra.get("user")
            if username:
                user = User.objects.get(username=username)
                Expert.objects.filter(pk=nomination.expert_id).update(user=user)
                role_grant(user=user, role=Role.EXPERT, by=None)
            services.nomination_admit(nomination=nomination, by=staff, reason="经审核符合入库条件。",
                                      invite=not username)
    stdout.write(f"  experts: {Institution.objects.count()} institutions, {created} new nominations")
