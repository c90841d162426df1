"""Twenty real-sounding demands of Changping enterprises against thirty expert profiles, with the experts
a person judged relevant to each (issue 17): the portal's ranker must put at least one of them in its top
10 for every demand. Pure: the same segmentation, field weights and industry-fit bonus as the portal, no
database (the industries come from enterprises/data/industries.csv, the file the migration loads)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from enterprises.matching import Doc, MatchIndex, all_tokens, industry_tags, tokenize_fields

DATA = Path(__file__).resolve().parents[2] / "enterprises" / "data"
LEADING = {"medicine_health", "advanced_energy", "advanced_manufacturing"}

# name: (discipline, research fields, keywords, achievement titles)
EXPERTS = {
    "张明远": (
        "石油与天然气工程",
        "油气田开发；提高采收率；非常规油气藏数值模拟",
        "油气田开发，提高采收率，CO2驱油，页岩油",
        "页岩油藏CO2驱油机理研究",
    ),
    "李文博": (
        "材料科学与工程",
        "储能材料；固态电池电解质",
        "储能材料，固态电池，锂离子电池",
        "硫化物固态电解质界面改性",
    ),
    "王慧敏": (
        "化学工程与技术",
        "催化裂化；重油加工；工业催化剂",
        "催化裂化，重油加工，催化剂",
        "重油催化裂化催化剂开发",
    ),
    "赵志强": (
        "机械工程",
        "油气储运装备；管道完整性",
        "管道完整性，储运装备，腐蚀检测",
        "长输管道腐蚀检测装置",
    ),
    "陈晓东": (
        "计算机科学与技术",
        "油气智能勘探；地震数据深度学习",
        "人工智能，地震解释，深度学习",
        "地震断层智能识别方法",
    ),
    "孙立新": ("电气工程", "新能源并网；储能系统控制", "新能源并网，储能，虚拟电厂", "虚拟电厂协调控制技术"),
    "周雅琴": (
        "临床医学",
        "抗体药物临床研究；自身免疫病",
        "抗体药物，临床试验，自身免疫",
        "类风湿关节炎生物制剂临床研究",
    ),
    "吴俊": ("化学", "有机合成方法学", "有机合成，药物中间体", "手性药物中间体不对称合成"),
    "林书恒": (
        "电气工程",
        "储能系统集成与控制；电池管理系统；电池热管理",
        "储能，电池管理系统，锂离子电池，热管理",
        "储能电站电池管理系统",
    ),
    "高雅婷": (
        "药学",
        "抗体偶联药物药学研究；药物递送；制剂工艺",
        "抗体偶联药物，药物递送，制剂工艺，药代动力学",
        "抗体偶联药物稳定性研究",
    ),
    "郑凯": (
        "机械工程",
        "工业机器人；机器视觉检测；焊接自动化",
        "工业机器人，机器视觉，缺陷检测，焊接机器人",
        "焊缝缺陷视觉检测系统",
    ),
    "何静怡": (
        "临床医学",
        "医学影像人工智能；影像组学",
        "医学影像，影像组学，辅助诊断，深度学习",
        "肺结节影像辅助诊断",
    ),
    "欧阳立群": ("机械工程", "数控装备；视觉测量", "数控机床，视觉测量，精密加工", "五轴数控机床误差补偿"),
    "罗静": ("材料科学与工程", "储能材料；电池安全", "储能，电池安全，热失控", "储能电池热失控预警"),
    "唐志远": ("机械工程", "机器人；精密装配", "协作机器人，精密装配，柔性制造", "航空部件机器人柔性装配"),
    "白雪梅": ("药学", "临床药理；体外诊断", "体外诊断，快速检测，临床药理", "心肌标志物快速检测试剂"),
    "钟立华": ("化学工程与技术", "石油化工；催化材料", "石油化工，分子筛，催化材料", "生物基聚酯催化合成"),
    "马超": ("信息与通信工程", "5G通信；物联网", "5G，物联网，边缘计算，工业互联网", "工业现场5G专网部署"),
    "黄敏": ("软件工程", "工业软件；数字孪生", "工业软件，数字孪生，仿真，低代码", "产线数字孪生平台"),
    "刘洋": (
        "控制科学与工程",
        "智能控制；自动驾驶",
        "自动驾驶，路径规划，智能控制，激光雷达",
        "园区无人配送车控制",
    ),
    "许宁": (
        "网络空间安全",
        "数据安全；密码应用",
        "数据安全，隐私计算，密码应用，等级保护",
        "医疗数据隐私计算平台",
    ),
    "韩雪": ("生物学", "合成生物学；酶工程", "合成生物学，酶工程，生物制造，发酵", "稀有人参皂苷生物合成"),
    "冯涛": (
        "生物医学工程",
        "医疗器械；可穿戴设备",
        "医疗器械，可穿戴，生理信号，心电",
        "可穿戴心电监测贴片",
    ),
    "郭鹏": (
        "动力工程及工程热物理",
        "氢能；燃料电池",
        "氢燃料电池，电解水制氢，氢能，储氢",
        "质子交换膜燃料电池电堆",
    ),
    "曹颖": ("光学工程", "激光加工；光电检测", "激光加工，光电检测，光纤传感", "飞秒激光微孔加工"),
    "邓凯": (
        "材料科学与工程",
        "高温合金；增材制造",
        "高温合金，增材制造，3D打印，钛合金",
        "航空发动机叶片增材修复",
    ),
    "彭丽": (
        "环境科学与工程",
        "水污染控制；膜分离",
        "污水处理，膜分离，水处理，环境监测",
        "工业废水膜处理工艺",
    ),
    "谢军": (
        "仪器科学与技术",
        "传感器；精密测量",
        "MEMS传感器，精密测量，压力传感器",
        "高精度MEMS压力传感器",
    ),
    "宋佳": ("基础医学", "细胞治疗；干细胞", "细胞治疗，干细胞，CAR-T，免疫细胞", "CAR-T细胞制备工艺"),
    "曾华": (
        "电子科学与技术",
        "功率半导体；芯片设计",
        "碳化硅，功率器件，芯片设计，集成电路",
        "碳化硅MOSFET器件",
    ),
}

# (industry code, title, technical field, keywords, description) → experts judged relevant
DEMANDS = [
    (
        (
            "advanced_energy",
            "储能电站电池热失控预警",
            "电化学储能",
            "储能，热失控，电池安全",
            "为储能电站研制电池热失控多参量预警系统",
        ),
        {"罗静", "林书恒", "李文博"},
    ),
    (
        (
            "advanced_energy",
            "固态锂电池电解质开发",
            "固态电池",
            "固态电池，电解质，锂离子电池",
            "开发高离子电导率固态电解质并完成中试",
        ),
        {"李文博", "罗静"},
    ),
    (
        (
            "advanced_energy",
            "页岩油提高采收率技术服务",
            "油气田开发",
            "页岩油，提高采收率，CO2驱油",
            "针对昌平油服企业的页岩油藏开展CO2驱油方案设计",
        ),
        {"张明远"},
    ),
    (
        (
            "advanced_energy",
            "虚拟电厂聚合调控平台",
            "新能源并网",
            "虚拟电厂，储能，新能源并网",
            "聚合园区分布式光伏与储能参与电网调峰",
        ),
        {"孙立新", "林书恒"},
    ),
    (
        (
            "advanced_energy",
            "氢燃料电池电堆国产化",
            "氢能",
            "燃料电池，电堆，氢能",
            "质子交换膜燃料电池电堆设计与寿命提升",
        ),
        {"郭鹏"},
    ),
    (
        (
            "advanced_energy",
            "长输管道腐蚀在线检测",
            "油气储运",
            "管道完整性，腐蚀检测，油气储运",
            "研制油气长输管道腐蚀在线检测装置",
        ),
        {"赵志强"},
    ),
    (
        (
            "medicine_health",
            "抗体偶联药物制剂工艺优化",
            "生物医药",
            "抗体偶联药物，制剂工艺，稳定性",
            "提升ADC药物冻干制剂的稳定性并完成工艺放大",
        ),
        {"高雅婷", "周雅琴"},
    ),
    (
        (
            "medicine_health",
            "自身免疫病抗体药物临床试验设计",
            "临床研究",
            "抗体药物，临床试验，自身免疫",
            "为一类新药设计II期临床试验方案",
        ),
        {"周雅琴", "高雅婷"},
    ),
    (
        (
            "medicine_health",
            "心血管标志物快速检测试剂盒",
            "体外诊断",
            "体外诊断，快速检测，试剂盒",
            "开发心肌肌钙蛋白快速检测试剂并开展临床评价",
        ),
        {"白雪梅"},
    ),
    (
        (
            "medicine_health",
            "肺结节影像人工智能辅助诊断",
            "医学影像",
            "医学影像，辅助诊断，深度学习",
            "基于CT影像的肺结节良恶性辅助诊断软件注册",
        ),
        {"何静怡"},
    ),
    (
        (
            "medicine_health",
            "CAR-T细胞制备工艺放大",
            "细胞治疗",
            "CAR-T，细胞治疗，工艺放大",
            "建立自动化封闭式CAR-T细胞制备工艺",
        ),
        {"宋佳"},
    ),
    (
        (
            "medicine_health",
            "可穿戴心电监测设备研发",
            "医疗器械",
            "可穿戴，心电，医疗器械",
            "研发长程心电监测贴片并取得注册证",
        ),
        {"冯涛"},
    ),
    (
        (
            "advanced_manufacturing",
            "焊缝缺陷机器视觉检测",
            "机器视觉",
            "机器视觉，缺陷检测，焊接",
            "为焊接产线建立焊缝缺陷在线视觉检测",
        ),
        {"郑凯", "欧阳立群"},
    ),
    (
        (
            "advanced_manufacturing",
            "航空部件机器人柔性装配",
            "智能制造",
            "工业机器人，精密装配，柔性制造",
            "建设航空精密部件的机器人柔性装配单元",
        ),
        {"唐志远", "郑凯"},
    ),
    (
        (
            "advanced_manufacturing",
            "航空发动机叶片增材修复",
            "增材制造",
            "增材制造，高温合金，航空发动机",
            "高温合金叶片激光增材修复工艺开发",
        ),
        {"邓凯", "曹颖"},
    ),
    (
        (
            "advanced_manufacturing",
            "高精度MEMS压力传感器量产",
            "传感器",
            "MEMS传感器，压力传感器，精密测量",
            "提升MEMS压力传感器的精度与良率",
        ),
        {"谢军"},
    ),
    (
        (
            "information_technology",
            "产线数字孪生平台建设",
            "工业软件",
            "数字孪生，工业软件，仿真",
            "构建覆盖总装产线的数字孪生与仿真优化平台",
        ),
        {"黄敏"},
    ),
    (
        (
            "information_technology",
            "医疗数据隐私计算平台",
            "数据安全",
            "隐私计算，数据安全，密码应用",
            "在医院间开展隐私计算联合建模",
        ),
        {"许宁"},
    ),
    (
        (
            "information_technology",
            "工业现场5G专网与边缘计算",
            "5G通信",
            "5G，边缘计算，工业互联网",
            "为工厂部署5G专网并建设边缘计算节点",
        ),
        {"马超"},
    ),
    (
        (
            "information_technology",
            "碳化硅功率器件设计",
            "集成电路",
            "碳化硅，功率器件，芯片设计",
            "设计车规级碳化硅MOSFET器件",
        ),
        {"曾华"},
    ),
]


@pytest.fixture(scope="module")
def index():
    with open(DATA / "industries.csv", encoding="utf-8") as f:
        industries = [
            (row["code"], set(filter(None, row["disciplines"].split("|"))), row["code"] in LEADING)
            for row in csv.DictReader(f)
        ]
    names = list(EXPERTS)
    docs = []
    for i, name in enumerate(names, start=1):
        discipline, fields, keywords, achievements = EXPERTS[name]
        tokens = tokenize_fields(
            {
                "research_fields": fields,
                "keywords": keywords,
                "achievements": achievements,
                "discipline": discipline,
            }
        )
        tags, leading = industry_tags(discipline, industries)
        docs.append(Doc(id=i, fields=tokens, tags=tags, leading=leading))
    return MatchIndex(docs), names


@pytest.mark.parametrize("demand, relevant", DEMANDS, ids=[d[0][1] for d in DEMANDS])
def test_top10_holds_an_expert_judged_relevant(index, demand, relevant):
    match_index, names = index
    industry, title, field, keywords, description = demand
    query = all_tokens(
        tokenize_fields(
            {"title": title, "technical_field": field, "keywords": keywords, "description": description}
        )
    )
    top = [names[r.id - 1] for r in match_index.rank(query, tags={industry}, k=10)]
    assert relevant & set(top), (title, top)


def test_the_judged_set_is_complete():
    assert len(DEMANDS) == 20 and len(EXPERTS) == 30
    assert all(relevant <= set(EXPERTS) for _demand, relevant in DEMANDS)
