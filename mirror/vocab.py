"""Word pools for the mirror's synthetic Chinese crypto/AI news (pure data).

Real companies and products only appear in neutral roles (launches, partnerships, reports);
funding rounds, exploits and other events that could read as claims about someone use
invented project names (``PROJECT_HEADS`` x ``PROJECT_TAILS``). Every string here is
synthetic: none of it is copied from a real article.
"""

from __future__ import annotations

BIGTECH = (
    "苹果",
    "微软",
    "谷歌",
    "Meta",
    "亚马逊",
    "英伟达",
    "百度",
    "阿里巴巴",
    "腾讯",
    "字节跳动",
    "华为",
    "小米",
    "三星",
    "索尼",
    "网易",
    "京东",
    "AT&T",
    "英特尔",
    "高通",
    "联想",
)
CHIPMAKERS = ("英伟达", "AMD", "英特尔", "高通", "寒武纪", "摩尔线程", "壁仞科技")
AI_LABS = (
    "OpenAI",
    "Anthropic",
    "DeepMind",
    "Stability AI",
    "Midjourney",
    "智谱 AI",
    "百川智能",
    "Hugging Face",
    "Mistral AI",
    "月之暗面",
    "MiniMax",
    "零一万物",
)
AI_PRODUCTS = (
    "ChatGPT",
    "GPT-4",
    "Claude",
    "Gemini",
    "文心一言",
    "通义千问",
    "Stable Diffusion",
    "LLaMA",
    "Copilot",
    "讯飞星火",
)
MODEL_HEADS = ("星河", "灵犀", "天工", "混元", "Aurora", "Nebula", "九章", "盘古", "Orion", "启明")
MODEL_TAILS = ("-7B", "-13B", " 2.0", " Pro", "-Chat", " Turbo", "-V3", " Max")
EXCHANGES = (
    "币安",
    "OKX",
    "Coinbase",
    "Kraken",
    "Bitget",
    "Bybit",
    "火币",
    "Gate.io",
    "KuCoin",
    "Bitstamp",
    "Upbit",
)
TOKENS = (
    "BTC",
    "ETH",
    "SOL",
    "BNB",
    "DOGE",
    "ARB",
    "OP",
    "MATIC",
    "APE",
    "SAND",
    "MANA",
    "AXS",
    "AVAX",
    "DOT",
    "LINK",
    "UNI",
    "ATOM",
    "FIL",
    "LDO",
    "IMX",
)
NEW_TOKENS = ("NOVA", "LMN", "ORB", "ZNT", "QTA", "VTX", "HLX", "PLR", "ECH", "ATL", "CBT", "MSC")
CHAINS = ("以太坊", "Solana", "BNB Chain", "Arbitrum", "Optimism", "Polygon", "Base", "Avalanche")
NFT_PROJECTS = (
    "BAYC",
    "CryptoPunks",
    "Azuki",
    "Moonbirds",
    "Doodles",
    "Otherdeed",
    "CloneX",
    "Pudgy Penguins",
    "Milady",
    "World of Women",
)
METAVERSE_PLATFORMS = (
    "The Sandbox",
    "Decentraland",
    "Roblox",
    "希壤",
    "Otherside",
    "Horizon Worlds",
    "Spatial",
    "Somnium Space",
)
GAME_NAMES = (
    "星际边境",
    "无尽之城",
    "幻境纪元",
    "深海回响",
    "链上西游",
    "方块纪元",
    "灵境",
    "破晓之地",
)
GAME_STUDIOS = (
    "网易",
    "腾讯",
    "米哈游",
    "Animoca Brands",
    "育碧",
    "Epic Games",
    "完美世界",
    "莉莉丝",
)
VCS = (
    "a16z",
    "红杉资本",
    "Paradigm",
    "Coinbase Ventures",
    "Binance Labs",
    "Polychain Capital",
    "Multicoin Capital",
    "Pantera Capital",
    "高瓴创投",
    "经纬创投",
    "HashKey Capital",
    "OKX Ventures",
    "Dragonfly",
    "Hashed",
    "IDG 资本",
)
PROJECT_HEADS = (
    "Aether",
    "Nova",
    "Lumen",
    "Orbit",
    "Zenith",
    "Quanta",
    "Vertex",
    "Helix",
    "Polar",
    "Echo",
    "Atlas",
    "Cobalt",
    "Kairo",
    "Mosaic",
    "Nimbus",
    "Parallax",
    "Solace",
    "Tidal",
    "Vela",
    "Yonder",
)
PROJECT_TAILS = ("Labs", "Protocol", "Network", "AI", "Verse", "Finance", "Studio", "Chain", "DAO")
SECURITY_FIRMS = ("PeckShield", "CertiK", "慢雾科技", "派盾", "成都链安", "BlockSec", "Beosin")
RESEARCH_FIRMS = (
    "IDC",
    "Gartner",
    "麦肯锡",
    "普华永道",
    "德勤",
    "TrendForce 集邦咨询",
    "艾瑞咨询",
    "彭博行业研究",
    "Messari",
    "Chainalysis",
)
REGULATORS = (
    "美国 SEC",
    "美国 CFTC",
    "香港证监会",
    "新加坡金管局",
    "欧盟委员会",
    "英国金融行为监管局",
    "韩国金融委员会",
    "日本金融厅",
    "阿联酋证券和商品管理局",
    "澳大利亚证券和投资委员会",
)
CITIES = (
    "上海",
    "北京",
    "深圳",
    "杭州",
    "成都",
    "武汉",
    "广州",
    "南京",
    "厦门",
    "合肥",
    "重庆",
    "苏州",
)
GLOBAL_CITIES = (
    "迪拜",
    "新加坡",
    "香港",
    "首尔",
    "东京",
    "伦敦",
    "纽约",
    "旧金山",
    "巴黎",
    "阿布扎比",
)
PAY_COMPANIES = ("PayPal", "Visa", "万事达卡", "Stripe", "Circle", "Paxos", "Ripple")
STABLE_NAMES = ("USDX", "PUSD", "GUSD2", "SUSD", "AUDD", "HKDR", "EURQ")

OUTLETS_CN = (
    "新浪科技",
    "福布斯",
    "彭博社",
    "路透社",
    "财联社",
    "界面新闻",
    "澎湃新闻",
    "华尔街日报",
    "科创板日报",
    "第一财经",
    "金融时报",
    "证券时报",
    "每日经济新闻",
    "日经新闻",
    "韩联社",
    "南华早报",
)
OUTLETS_LATIN = (
    "CoinDesk",
    "The Block",
    "Decrypt",
    "Cointelegraph",
    "Blockworks",
    "Thebigwhale",
    "TechCrunch",
    "The Information",
    "Axios",
    "CNBC",
    "Bloomberg",
    "Wired",
)
"""Attribution outlets. None contains 报道/消息/援引/披露/称 or punctuation (extraction.md)."""

THEMES = (
    "元宇宙",
    "AIGC",
    "生成式 AI",
    "Layer2",
    "DeFi",
    "NFT 市场",
    "数字藏品",
    "Web3 社交",
    "GameFi",
    "稳定币",
    "比特币减半",
    "以太坊扩容",
    "大模型",
    "虚拟人",
    "央行数字货币",
    "跨链桥",
    "零知识证明",
    "去中心化身份",
    "AI 芯片",
    "算力租赁",
    "RWA 代币化",
    "链上衍生品",
    "XR 硬件",
    "AI Agent",
)
SECTORS = (
    "AI 基础设施",
    "去中心化存储",
    "链上游戏",
    "数字身份",
    "隐私计算",
    "跨链互操作",
    "虚拟社交",
    "AIGC 工具",
    "Web3 支付",
    "数据标注",
    "模型训练",
    "XR 内容",
)
ROUNDS = ("种子轮", "天使轮", "Pre-A 轮", "A 轮", "B 轮", "战略")

EIGHTBTC_AUTHORS = (
    (14244, "链上观察员"),
    (20871, "比推君"),
    (31156, "元宇宙研究所"),
    (40217, "Mia"),
    (45530, "陈默"),
    (50011, "AI 前线"),
    (52968, "区块先生"),
    (61523, "Lemon"),
    (66790, "周小满"),
    (70034, "ByteAILab"),
    (71240, "深潮编译"),
    (73888, "Carol Wang"),
    (75602, "链茶馆"),
    (78115, "何必"),
    (80027, "巴比特编辑部"),
    (81562, "Web3 小林"),
)
EIGHTBTC_CATEGORIES = ((6167, "头条"), (6168, "独家"), (1647, "创投"), (6, "矿业"), (572, "政策"))
"""8btc cat_id values and labels (sites.md §2)."""

FORESIGHT_AUTHORS = (
    (4, "Foresight News"),
    (17, "Sandy"),
    (23, "Loye"),
    (31, "Frank"),
    (42, "Karen"),
    (58, "Joyce"),
    (66, "Alex Liu"),
    (79, "Zen"),
)
FORESIGHT_COLUMNS = {
    1: ("ForesightNews 独家", "一起·预见·未来", 1645949132),
    894: ("ForesightNews 深度", "深度解析行业趋势", 1651304721),
    1154: ("巴比特", "服务于区块链创新者", 1654057920),
}
"""Column id -> (title, brief, created_at). Titles of 1 and 894 from sites.md §3; 1154 assumed."""

SUBHEADS = (
    "市场表现",
    "监管动向",
    "技术路线之争",
    "一、行业现状",
    "二、面临的挑战",
    "三、未来展望",
    "写在最后",
    "结语",
    "数据背后的逻辑",
    "机构怎么看",
    "商业模式仍待验证",
    "用户增长从何而来",
    "风险与机遇并存",
    "巨头为何纷纷入场",
    "开发者的选择",
)
"""Article sub-headings. None ends in 资讯 or 荐读 (those would be digest section labels)."""

SITE_KEYWORDS = ("巴比特", "区块链", "元宇宙")
NEWS_LABELS = ("热点资讯",) * 6 + ("行业资讯", "今日资讯")
REC_LABELS = ("元宇宙荐读",) * 4 + ("AI 荐读", "今日荐读", "荐读")
