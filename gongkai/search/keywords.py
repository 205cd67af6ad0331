"""Keywords of an item, for its 相关信息 list and the search suggestions. Plain module, no Django."""

from collections import Counter
from functools import cache
from types import ModuleType

# Parts of speech worth keeping (jieba's tag set): nouns, place and organisation names,
# verbal and other nouns, and idioms.
KEEP = ("n", "nr", "ns", "nt", "nz", "vn", "an", "l", "i", "j")
STOPWORDS = frozenset(
    {
        "工作",
        "有关",
        "相关",
        "进行",
        "开展",
        "情况",
        "问题",
        "方面",
        "部门",
        "单位",
        "我们",
        "我局",
        "本局",
        "要求",
        "规定",
        "通知",
        "意见",
        "以上",
        "以下",
        "其他",
        "一个",
        "一些",
        "这些",
        "那些",
        "通过",
        "根据",
        "按照",
        "关于",
        "同时",
        "以及",
        "重要",
        "主要",
        "进一步",
        "做好",
        "加强",
    }
)


@cache
def _tagger() -> ModuleType:
    import rjieba

    return rjieba


def keywords(text: str, n: int = 8) -> list[str]:
    """The `n` most frequent content words of two characters or more, in order of frequency."""
    counts: Counter[str] = Counter()
    for word, tag in _tagger().tag(text or ""):
        word = word.strip()
        if len(word) < 2 or word in STOPWORDS or not tag.startswith(KEEP) or word.isdigit():
            continue
        counts[word] += 1
    return [word for word, _ in counts.most_common(n)]


def words(text: str) -> list[str]:
    """The words of a text, in order (jieba's segmentation): a query phrase split into its words."""
    return [word for word in _tagger().cut(text or "") if word.strip()]
