"""条例第二十条: the items of government information every agency discloses proactively.

Plain module, no Django import. The seeded 法定主动公开内容 categories
(services.DEFAULT_CATEGORIES) are mapped to the items of article 20 they hold, so the
专栏 can show the sub-catalogue with its statutory basis. Categories an agency adds or
renames carry no mapping and are shown without one.
"""

from __future__ import annotations

__all__ = ["ARTICLE_20", "SEED_BASIS", "basis_label"]

NUMERALS = "一二三四五六七八九十"


def _numeral(n: int) -> str:
    if n <= 10:
        return NUMERALS[n - 1]
    return "十" + NUMERALS[n - 11]


# 《中华人民共和国政府信息公开条例》（2019年修订）第二十条, items (一)–(十五), abridged.
ARTICLE_20: dict[int, str] = {
    1: "行政法规、规章和规范性文件",
    2: "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名",
    3: "国民经济和社会发展规划、专项规划、区域规划及相关政策",
    4: "国民经济和社会发展统计信息",
    5: "办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果",
    6: "实施行政处罚、行政强制的依据、条件、程序以及具有一定社会影响的行政处罚决定",
    7: "财政预算、决算信息",
    8: "行政事业性收费项目及其依据、标准",
    9: "政府集中采购项目的目录、标准及实施情况",
    10: "重大建设项目的批准和实施情况",
    11: "扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况",
    12: "突发公共事件的应急预案、预警信息及应对情况",
    13: "环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况",
    14: "公务员招考的职位、名额、报考条件等事项以及录用结果",
    15: "法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息",
}

# Seeded category name -> the items of article 20 it holds. 服务承诺, 办事纪律和廉政制度 and
# 重大决策 come from the seeds and national policy on 决策公开, not from article 20.
SEED_BASIS: dict[str, tuple[int, ...]] = {
    "机构职能": (2,),
    "法规文件": (1,),
    "行政许可和服务事项": (5,),
    "办事程序和时限": (5,),
    "统计信息": (4,),
    "规划计划": (3,),
    "财政预决算与收费": (7, 8),
    "突发事件": (12,),
    "行政执法": (6,),
    "人事": (14,),
    "其他": (15,),
}


def basis_label(name: str) -> str:
    """“第二十条第（一）项” (or “第二十条第（七）（八）项”) for a seeded category, “” for any other."""
    numbers = SEED_BASIS.get(name, ())
    if not numbers:
        return ""
    return "第二十条第" + "".join(f"（{_numeral(n)}）" for n in numbers) + "项"
