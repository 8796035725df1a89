"""Every fact, name and figure of the source article is in the deck, in both languages.

Plain Python (no Qt): the catalogues and deck.json are read with ``json``.
The source article is docs/source/article.zh-CN.txt (a 2022 news report about
Yangqu County in the Taiyuan–Xinzhou Integrated Economic Zone); the English
names follow its glossary, docs/source/glossary.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DECK_PATH = ROOT / "assets" / "deck.json"
CATALOGUES = {"zh-CN": ROOT / "i18n" / "zh-CN.json", "en": ROOT / "i18n" / "en.json"}


def _load(path: Path) -> object:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def _flatten(node: object, prefix: str = "") -> Iterator[tuple[str, str]]:
    assert isinstance(node, dict), f"{prefix or '<root>'}: expected an object"
    for key, value in node.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            yield from _flatten(value, path)
        else:
            assert isinstance(value, str), f"{path}: expected a string, got {value!r}"
            yield path, value


def _deck_refs(node: object) -> Iterator[str]:
    """Every string value of deck.json that names a ``deck.*`` text key.

    Keys starting with ``$`` (``"$schema": "deck.schema.json"``) are editor hints, not text.
    """
    if isinstance(node, dict):
        for key, value in node.items():
            if not key.startswith("$"):
                yield from _deck_refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _deck_refs(value)
    elif isinstance(node, str) and node.startswith("deck."):
        yield node


FLAT: dict[str, dict[str, str]] = {
    locale: dict(_flatten(_load(path))) for locale, path in CATALOGUES.items()
}
DECK_TEXT = {
    locale: "\n".join(v for k, v in flat.items() if k.startswith("deck."))
    for locale, flat in FLAT.items()
}


def _zh_haystack() -> str:
    # Chinese prose may or may not put a space between digits and characters.
    return re.sub(r"\s+", "", DECK_TEXT["zh-CN"])


def _en_haystack() -> str:
    return DECK_TEXT["en"].casefold()


# (Chinese substring, English substring). Chinese is matched with whitespace removed,
# English case-insensitively. Order follows the article.
FACTS: list[tuple[str, str]] = [
    # the statement by the Secretary of the County Party Committee
    ("李京京", "Li Jingjing"),
    ("阳曲县委书记", "Secretary of the Yangqu County Party Committee"),
    ("信心十足", "full confidence"),
    ("太忻一体化经济区", "Taiyuan–Xinzhou Integrated Economic Zone"),
    ("太忻", "Taixin Zone"),
    ("省委赋予太原的重大使命", "major mission given to Taiyuan by the Provincial Party Committee"),
    ("跨越发展", "leapfrog development"),
    ("走向振兴", "revitalization"),
    ("脱贫巩固与乡村振兴有效衔接的提升期", "poverty alleviation with rural revitalization"),
    ("资源要素的整合优化期", "integrating and optimizing resources and production factors"),
    ("区域竞争的实力赶超期", "catch up and overtake in regional competition"),
    ("生态环境优越", "excellent ecological environment"),
    ("文旅资源丰富", "rich cultural and tourism resources"),
    ("门户地位突出", "prominent gateway position"),
    ("交通优势明显", "clear transport advantages"),
    ("产业基础良好", "good industrial base"),
    ("发展腹地广阔", "broad hinterland for development"),
    ("排头兵", "pacesetter"),
    ("阳曲担当", "greater commitment"),
    ("阳曲贡献", "greater contributions"),
    # location
    ("阳曲有条件、更有优势", "the conditions — and even more, the advantages"),
    ("近三分之一", "nearly one third"),
    ("太原市国土面积", "Taiyuan’s land area"),
    ("纽带", "“link”"),
    ("合作共赢", "win-win cooperation between Taiyuan and Xinzhou"),
    ("走廊", "“corridor”"),
    ("京津冀", "Beijing–Tianjin–Hebei"),
    ("雄安新区", "Xiong’an New Area"),
    # industry
    ("半壁江山", "about half"),
    ("半壁江山", "half the landscape"),
    ("太原唯一的省级农业开发区", "Taiyuan’s only provincial-level agricultural development zone"),
    ("山西合成生物工业园", "Shanxi Synthetic Biology Industrial Park"),
    ("太钢碳纤维", "TISCO Carbon Fiber"),
    ("蓝顿旭美", "Landun Xumei"),
    ("全国最大的马铃薯加工企业", "China’s largest potato processor"),
    ("一大批行业龙头", "a large group of industry leaders"),
    ("高端服务业", "high-end services"),
    ("全省最大的户外教育营地", "the province’s largest outdoor education camp"),
    ("方特东方神画", "Fantawild Oriental Heritage"),
    ("全省最大的游乐园", "the province’s largest theme park"),
    # production factors
    ("路网发达", "well-developed road network"),
    ("四条高速", "four expressways"),
    ("一条国道", "one national highway"),
    ("两条高铁", "two high-speed railways"),
    ("同蒲铁路", "Datong–Puzhou"),
    ("纵贯阳曲南北", "through Yangqu from north to south"),
    ("天然气", "natural gas"),
    ("高压变电站", "high-voltage substation"),
    ("各类生产要素比较齐全", "all kinds of production factors are fairly complete"),
    # Dayu Industrial New City
    ("阳曲有信心、更有决心", "the confidence — and even more, the determination"),
    ("市委", "Municipal Party Committee"),
    ("强龙头、延链条、建集群", "strengthen leading firms, extend industrial chains"),
    ("建集群", "build clusters"),
    ("大盂产业新城", "Dayu Industrial New City"),
    ("七大产业集群", "seven major industrial clusters"),
    ("高端装备制造", "high-end equipment manufacturing"),
    ("新材料", "new materials"),
    ("物流枢纽", "logistics hub"),
    ("科技研发", "science and technology R&D"),
    ("现代服务业", "modern services"),
    ("引擎新城", "engine city"),
    ("强大辐射带动能力", "strong power to radiate"),
    ("生态文明", "ecological civilization"),
    ("绿色低碳", "green, low-carbon"),
    ("产业与城市融合发展", "integrate industry with the city"),
    ("宜居宜业的产业新城", "industry-and-living new city"),
    ("宜居宜业", "good to live and work in"),
    ("尊重自然格局", "respecting the natural pattern"),
    ("传承历史文脉", "carrying on the historical heritage"),
    ("体现时代特色", "reflecting the features of the times"),
    ("窗口新城", "showcase city"),
    ("“锦绣太原”", "“Splendid Taiyuan”"),
    # the launch
    ("太原片区", "Taiyuan Area"),
    ("建设启动大会", "launch meeting"),
    ("倍感振奋", "greatly inspired"),
    ("功成不必在我", "success need not be ours to claim"),
    ("功成必定有我", "success will surely carry our effort"),
    ("起跑就冲刺", "sprint"),
    ("开局就会战", "battle from the opening"),
    ("率先拉开建设大幕", "first to raise the curtain on construction"),
    # three measures
    ("统一思想，凝聚力量", "unite thinking, pool strength"),
    ("三个举措", "“three measures”"),
    ("头等大事", "top priority"),
    ("一号工程", "“Project No. 1”"),
    (
        "县委书记、县长任双组长",
        "co-led by the Secretary of the County Party Committee and the County Head",
    ),
    ("指挥组", "command group"),
    ("7个工作专班", "7 task forces"),
    ("统一调度、高效运转", "unified dispatch and efficient operation"),
    ("5个乡镇", "5 townships"),
    ("阳曲片区", "Yangqu Area"),
    ("最强的干部", "best cadres"),
    ("尽锐出战", "sending in the best"),
    ("大讨论", "county-wide discussion"),
    ("理思路、求实招", "sort out ideas and seek practical measures"),
    ("阳曲方案、阳曲行动、阳曲举措", "Yangqu plans, Yangqu actions and Yangqu measures"),
    ("主人翁", "owner"),
    # three priorities
    ("规划先行", "planning"),
    ("三个重点", "“three priorities”"),
    ("大盂", "Dayu"),
    ("高村", "Gaocun"),
    ("东黄水", "Donghuangshui"),
    ("泥屯", "Nitun"),
    ("现代农业", "modern agriculture"),
    ("组团", "area"),
    ("产业飞地", "industrial enclave"),
    ("60天", "60 days"),
    ("启动区", "start-up area"),
    ("33,017.67亩", "33,017.67 mu"),
    ("收储", "land acquisition and reserve"),
    ("珍惜机遇", "cherish"),
    ("只争朝夕", "seizing every minute"),
    ("“阳曲速度”", "“Yangqu speed”"),
    ("基础先行", "infrastructure first"),
    ("太忻大道", "Taixin Avenue"),
    ("泥向线北延", "northern extension of the Nixiang Road"),
    ("能源岛", "energy island"),
    ("市城管部门", "municipal urban management department"),
    ("供水、供气、供暖", "water, gas and heating supply"),
    ("高质量发展提供有力支撑", "strong support to the high-quality development"),
    # three guarantees
    ("聚焦产业，服务项目", "focus on industry, serve projects"),
    ("三个保障", "“three guarantees”"),
    ("营商环境", "business environment"),
    ("综合评价", "comprehensive evaluation"),
    ("全省第九", "9th in the province"),
    ("全市第二", "2nd in the city"),
    (
        "承诺制＋标准地＋全代办",
        "commitment-based approval + standard land parcels + full-service agency",
    ),
    ("招商引资", "investment promotion"),
    ("全链条服务项目制度", "end-to-end project service system"),
    ("县级领导班子成员", "members of the county leadership"),
    ("从洽谈直到项目达产达效", "from negotiation until full production and full returns"),
    ("责任制", "responsibility system"),
    ("省级文明县城", "Provincial Civilized County Town"),
    ("主动加压", "raising the bar"),
    ("国家级文明县城", "National Civilized County Town"),
    ("全国卫生县城", "National Sanitary County Town"),
    ("全国园林县城", "National Garden County Town"),
    ("为产业集聚打好人文基础", "cultural foundation for industrial clustering"),
    # next steps and goals
    (
        "抓党建促基层治理能力提升专项行动",
        "strengthening Party building to promote primary-level governance",
    ),
    ("第一方阵", "first tier"),
    ("争当区域高质量发展排头兵", "pacesetter of high-quality regional development"),
    ("咬定", "unwavering"),
    ("基层治理能力提升年", "Year of Improving Primary-Level Governance"),
    ("总抓手", "overall lever"),
    ("一年见效", "results in one year"),
    ("三年成形", "shape in three"),
    ("五年成势", "momentum in five"),
    ("十年成城", "a city in ten"),
    ("撸袖实干", "roll up"),
    ("奋勇前进", "forge ahead bravely"),
    ("以优异成绩", "outstanding results"),
    ("党的二十大", "20th National Congress of the Communist Party of China"),
    ("胜利召开", "victorious opening"),
    # the source (README): a 2022 report, published before the 20th National Congress
    ("2022年", "2022"),
    ("新闻报道", "news report"),
    ("召开之前", "published before the 20th National Congress"),
]

# Conversions of article figures, present only when labelled as conversions.
CONVERSIONS: list[tuple[str, str]] = [
    ("22.0平方千米", "22.0 km²"),
    ("1亩=666.67平方米", "1 mu = 666.67 m²"),
]


@pytest.mark.parametrize(
    ("zh", "en"), FACTS, ids=[f"{i:03d}-{zh}" for i, (zh, _) in enumerate(FACTS)]
)
def test_fact_in_both_languages(zh: str, en: str) -> None:
    assert re.sub(r"\s+", "", zh) in _zh_haystack(), f"zh-CN deck text lacks {zh!r}"
    assert en.casefold() in _en_haystack(), f"en deck text lacks {en!r}"


@pytest.mark.parametrize(("zh", "en"), CONVERSIONS)
def test_conversion_present_and_labelled(zh: str, en: str) -> None:
    for locale, needle, label in (("zh-CN", zh, "换算"), ("en", en, "conversion")):
        holders = [
            v
            for k, v in FLAT[locale].items()
            if k.startswith("deck.") and re.sub(r"\s+", "", needle) in re.sub(r"\s+", "", v)
        ]
        assert holders, f"{locale}: {needle!r} missing"
        for text in holders:
            assert label in text.casefold(), f"{locale}: {needle!r} not labelled a conversion"


def test_wrong_railway_name_absent() -> None:
    # The article misspells 同蒲铁路 as 同浦铁路; the deck uses the real name only.
    for locale, flat in FLAT.items():
        for key, value in flat.items():
            assert "同浦" not in value, f"{locale}: {key} uses the wrong name 同浦"


def test_catalogues_have_identical_keys() -> None:
    zh, en = set(FLAT["zh-CN"]), set(FLAT["en"])
    assert zh == en, f"only zh-CN: {sorted(zh - en)}; only en: {sorted(en - zh)}"


def test_catalogue_sections() -> None:
    for locale, path in CATALOGUES.items():
        data = _load(path)
        assert isinstance(data, dict)
        assert {"meta", "deck"} <= set(data), locale
        assert FLAT[locale]["meta.number.group"] == ","
        assert FLAT[locale]["meta.number.decimal"] == "."
    assert FLAT["zh-CN"]["meta.language_name"] == "中文"
    assert FLAT["en"]["meta.language_name"] == "English"


def test_placeholders_match() -> None:
    def names(text: str) -> set[str]:
        return set(re.findall(r"\{(\w+)\}", text))

    for key, zh in FLAT["zh-CN"].items():
        assert names(zh) == names(FLAT["en"].get(key, "")), key


def test_deck_keys_exist_in_both_catalogues() -> None:
    refs = set(_deck_refs(_load(DECK_PATH)))
    assert refs, "deck.json names no deck.* keys"
    for locale, flat in FLAT.items():
        missing = sorted(refs - set(flat))
        assert not missing, f"{locale} lacks {missing}"


def test_every_deck_key_is_used() -> None:
    refs = set(_deck_refs(_load(DECK_PATH)))
    unused = sorted(k for k in FLAT["zh-CN"] if k.startswith("deck.") and k not in refs)
    assert not unused, f"catalogue keys not named by deck.json: {unused}"


def test_every_slide_has_notes() -> None:
    deck = _load(DECK_PATH)
    assert isinstance(deck, dict)
    for slide in deck["slides"]:
        assert slide.get("notes", "").startswith("deck."), slide.get("id")
        for flat in FLAT.values():
            assert flat[slide["notes"]].strip(), slide["id"]


def test_no_invented_years() -> None:
    # The only date the deck may give is 2022 (from the source README).
    for locale, text in DECK_TEXT.items():
        years = set(re.findall(r"(?<![\d.,])((?:19|20)\d{2})(?!\d|[.,]\d)", text))
        assert years <= {"2022"}, f"{locale}: unexpected years {sorted(years)}"


def test_english_has_no_chinese_and_typographic_quotes() -> None:
    for key, value in FLAT["en"].items():
        if not key.startswith("deck."):
            continue
        assert not re.search(r"[\u4e00-\u9fff]", value), f"en {key} contains Chinese"
        assert "'" not in value and '"' not in value, f"en {key}: use ’ “ ” not straight quotes"


def test_chinese_has_no_straight_quotes() -> None:
    for key, value in FLAT["zh-CN"].items():
        if key.startswith("deck."):
            assert "'" not in value and '"' not in value, f"zh-CN {key}: use “ ” ‘ ’"


# The facts the source's own page gives (docs/source/README.md), and the one
# name the article misspells (同浦), which the deck writes as it really is.
SOURCE_PAGE = ROOT / "docs" / "source" / "README.md"
CORRECTED = {"同蒲铁路": "同浦铁路"}


def _plain(text: str) -> str:
    """Whitespace and the width of punctuation do not matter; nor the
    thousands separator of a number."""
    import unicodedata

    text = unicodedata.normalize("NFKC", text).replace("﹢", "+")
    return re.sub(r"(?<=\d),(?=\d{3})", "", re.sub(r"\s+", "", text))


def test_every_fact_is_in_the_source_article():
    article = _plain((ROOT / "docs" / "source" / "article.zh-CN.txt").read_text(
        encoding="utf-8"))
    page = _plain(SOURCE_PAGE.read_text(encoding="utf-8"))
    missing = [zh for zh, _ in FACTS
               if _plain(CORRECTED.get(zh, zh)) not in article and _plain(zh) not in page]
    assert not missing, missing
