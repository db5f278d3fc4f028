"""Sentence templates for the hard-case set's crypto events: financing, listing, hack, unlock.

Each kind has two voices, ``a`` and ``b``, that never share a sentence: an event first told
in one voice is retold by another outlet in the other (same facts, other words). Every
voice has titles, leads (the opening sentence, with the date) and details. Written for
this set; none of it is taken from a real article.
"""

from __future__ import annotations

FINANCING = {
    "a": {
        "title": ("{proj} 完成 {amt} {round}融资，{lead_vc} 领投",
                  "{sector}项目 {proj} 宣布获得 {amt} 融资",
                  "{lead_vc} 领投 {proj} {round}融资，估值达 {val}",
                  "{proj} 融资 {amt}，{co1}、{co2} 参投"),
        "lead": ("{date}，{sector}项目 {proj} 宣布完成 {amt} {round}融资，本轮由 {lead_vc} 领投。",
                 "{proj} 于 {date} 官宣完成一笔 {amt} 的{round}融资，领投方为 {lead_vc}。",
                 "据官方消息，{sector}赛道的 {proj} 已在 {date} 完成 {round}融资，金额为 {amt}。",
                 "{date}，{proj} 对外公布{round}融资进展，"
                 "累计获得 {amt} 投资，{lead_vc} 为领投机构。",
                 "专注{sector}的初创公司 {proj} 在 {date} 完成 {amt} 融资，本轮属于{round}。"),
        "detail": ("{co1} 与 {co2} 参与了本轮投资。",
                   "本轮融资完成后，{proj} 的估值达到 {val}。",
                   "{proj} 表示，新资金将主要用于{use}。",
                   "{proj} 目前拥有约 {staff} 名员工，团队成员分布在多个国家。",
                   "{lead_vc} 合伙人称，看好 {proj} 在{sector}领域的长期潜力。",
                   "这是 {proj} 成立以来规模最大的一次融资。"),
    },
    "b": {
        "title": ("估值 {val}：{proj} 拿下 {lead_vc} 领投的 {amt}",
                  "{amt} 入账，{proj} 背后站着 {lead_vc}",
                  "{round}融资落地，{proj} 获 {lead_vc} 等机构押注",
                  "又一{sector}项目获投，{proj} 募得 {amt}"),
        "lead": ("{lead_vc} 在 {date} 领投了 {proj} 的 {amt} {round}，这是该项目的最新一轮融资。",
                 "{sector}领域再添一笔融资：{date}，{proj} 对外披露已筹得 {amt}，"
                 "{lead_vc} 担任领投。",
                 "{proj} 的{round}在 {date} 收官，共募集 {amt}，由 {lead_vc} 牵头。",
                 "又有资本押注{sector}：{proj} 拿到 {amt}，"
                 "{date} 宣布的这轮{round}由 {lead_vc} 领头。",
                 "{date}，{lead_vc} 出手投资 {proj}，{round}金额 {amt}。"),
        "detail": ("跟投名单中还出现了 {co1} 和 {co2} 的身影。",
                   "按照此轮条款计算，项目投后估值约为 {val}。",
                   "对于资金去向，团队透露会优先投入{use}方面。",
                   "公开资料显示，该团队规模在 {staff} 人左右。",
                   "投资方认为{sector}仍处在早期阶段，头部项目有望持续获得资本青睐。",
                   "此前该项目仅完成过小规模的种子融资，未披露具体金额。"),
    },
}

LISTING = {
    "a": {
        "title": ("{ex} 将上线 {token}，开放 {pair} 交易对",
                  "{ex} 宣布上线 {proj} 代币 {token}",
                  "{token} 登陆 {ex} {zone}，{date} {time} 开盘",
                  "{ex} 上新：{proj}（{token}）"),
        "lead": ("{date}，{ex} 发布公告称，将于当日 {time} 在{zone}上线 {proj} 的代币 {token}。",
                 "{ex} 官方公告显示，{token} 将在 {date} {time} 上线，并开放 {pair} 现货交易。",
                 "据 {ex} 公告，{proj} 项目代币 {token} 确定于 {date} 上线{zone}。",
                 "{date}，{ex} 宣布新增 {token} 现货交易，{proj} 项目代币将于 {time} 正式开盘。",
                 "{ex} 上币公告：{date} {time} 起支持 {token}（{proj}）交易。"),
        "detail": ("{ex} 已开放 {token} 充值，提现功能将于开盘次日开放。",
                   "首批开放的交易对为 {pair}。",
                   "{token} 是 {proj} 的原生代币，部署在 {chain} 上。",
                   "根据项目文档，{token} 的流通量约为 {supply}。",
                   "{ex} 提醒，新上线币种价格波动较大，用户需注意风险。",
                   "{token} 上线前一周，链上持币地址数增长了 {pct}。"),
    },
    "b": {
        "title": ("{proj} 代币 {token} 获 {ex} 上币，定于 {time} 开放交易",
                  "新币上线：{ex} 收录 {token}",
                  "{token} 即将开盘，{ex} 公布交易安排",
                  "{ex} 再添新币，{proj} 的 {token} 入驻{zone}"),
        "lead": ("{proj} 的原生代币 {token} 获得 {ex} 上币支持，{date} {time} 起可以交易。",
                 "交易平台 {ex} 于 {date} 更新上币公告，{token} 被纳入{zone}，开盘时间为 {time}。",
                 "{date} 消息，{token} 即将在 {ex} 开放交易，项目方为 {proj}。",
                 "继多家平台之后，{ex} 也在 {date} 宣布支持 {token}，交易将在 {time} 开启。",
                 "{token} 的交易渠道又多了一个：{ex} 计划于 {date} 开放该币种买卖，"
                 "它来自 {proj}。"),
        "detail": ("用户可以通过 {pair} 这一交易对买卖该代币。",
                   "平台已经提前开放了充币通道，提币要等到正式开盘后第二天。",
                   "该代币基于 {chain} 发行，目前流通的数量约 {supply}。",
                   "链上数据显示，消息公布前七天持有 {token} 的地址增加了 {pct}。",
                   "平台在公告末尾再次提示，新币上线初期价格可能剧烈波动。",
                   "这是 {proj} 今年首次登陆大型交易平台。"),
    },
}

HACK = {
    "a": {
        "title": ("{chain} 上的 {proj} 遭攻击，损失约 {loss}",
                  "{firm}：{proj} 被黑客盗取 {loss}",
                  "{proj} 遭遇安全事件，{vector}",
                  "{proj} 被盗 {loss}，官方暂停合约"),
        "lead": ("{date}，据 {firm} 监测，部署在 {chain} 上的 {proj} 遭到攻击，损失约 {loss}。",
                 "安全机构 {firm} 于 {date} 发出预警，{proj} 发生安全事件，涉及资金约 {loss}。",
                 "{proj} 在 {date} 证实遭黑客攻击，初步统计损失在 {loss} 左右。",
                 "{date}，{chain} 生态协议 {proj} 发布安全公告，确认遭受攻击，损失资产约 {loss}。",
                 "据链上安全监测，{proj} 于 {date} 出现漏洞利用，约 {loss} 资金被盗。"),
        "detail": ("{firm} 分析称，此次事件的原因是{vector}。",
                   "攻击者已将部分资金兑换为 {eth}，并转入混币服务。",
                   "{proj} 已暂停相关合约，并表示正在与执法部门合作。",
                   "项目方向攻击者提出，若归还资金可保留 {bounty} 作为白帽赏金。",
                   "消息公布后，{proj} 治理代币在一小时内下跌 {pct}。",
                   "这是本月 {chain} 生态发生的第二起较大规模安全事件。"),
    },
    "b": {
        "title": ("又见黑客：{proj} 约 {loss} 资产被转走",
                  "{vector}，{proj} 损失 {loss}",
                  "{loss} 不翼而飞，{proj} 紧急暂停合约",
                  "{firm} 披露 {proj} 攻击细节"),
        "lead": ("{proj} 成为最新一个被攻击的 DeFi 协议：{date}，约 {loss} 的资产被黑客转走。",
                 "{date} 消息，{chain} 协议 {proj} 出现异常资金流出，{firm} 估算损失约 {loss}。",
                 "黑客在 {date} 盯上了 {proj}，按 {firm} 的估算，被盗资产价值 {loss}。",
                 "{date} 凌晨，{proj} 的合约被人利用，{firm} 追踪到约 {loss} 流向攻击者地址。",
                 "约 {loss} 资产在 {date} 从 {proj} 流出，{firm} 确认这是一次黑客攻击。"),
        "detail": ("从 {firm} 公布的链上记录来看，问题出在{vector}。",
                   "被盗资产随后被换成 {eth}，分批转入了混币器。",
                   "团队已经冻结合约交互，并称会配合警方追查。",
                   "官方在链上留言，承诺对方退回资金即可拿走 {bounty} 的赏金。",
                   "受此影响，项目代币价格短时回落 {pct}。",
                   "截至发稿，攻击者地址仍持有大部分被盗资金。"),
    },
}

UNLOCK = {
    "a": {
        "title": ("{proj} 将解锁 {units} {token}，占流通量 {pct}",
                  "{token} 下周迎来大额解锁，价值约 {value}",
                  "{proj} 代币解锁在即，{who}份额释放",
                  "解锁预告：{token} 释放 {units}"),
        "lead": ("{date}，代币解锁数据显示，{proj} 将解锁 {units} {token}，"
                 "约占当前流通量的 {pct}。",
                 "{proj} 的 {token} 将于 {date} 迎来一次解锁，数量为 {units}，价值约 {value}。",
                 "据解锁日历，{date} {proj} 将释放 {units} {token}，按现价计算约 {value}。",
                 "{proj} 代币经济模型显示，{date} 将有 {units} {token} 结束锁仓。",
                 "{date}，{proj} 迎来例行代币解锁，解锁数量 {units}，约占流通量 {pct}。"),
        "detail": ("本次解锁的代币主要分配给{who}。",
                   "按当前价格估算，此次解锁代币价值约 {value}。",
                   "{proj} 此前表示，解锁代币将按计划逐步释放，不会集中抛售。",
                   "分析人士指出，大额解锁前后 {token} 价格往往承压。",
                   "解锁完成后，{token} 的流通比例将进一步提高。"),
    },
    "b": {
        "title": ("{value} 的 {token} 即将解禁，{who}是主要接收方",
                  "流通量增加 {pct}：{proj} 解锁时间表公布",
                  "{token} 抛压将至？{units} 代币 {date} 解锁",
                  "{who}将拿到 {units} {token}"),
        "lead": ("{token} 持有者需要留意：{date}，{proj} 有 {units} 代币解除锁定。",
                 "{date}，{proj} 迎来新一轮代币释放，{units} {token} 进入流通，"
                 "价值在 {value} 上下。",
                 "一笔价值约 {value} 的解锁即将发生：{date}，{proj} 的 {units} {token} "
                 "将解除锁定。",
                 "日历翻到 {date}，{proj} 的 {units} {token} 将从锁仓合约中释放。",
                 "按计划，{proj} 会在 {date} 放出 {units} {token}，接收方为{who}。"),
        "detail": ("这部分代币的接收方是{who}。",
                   "解禁规模相当于目前流通盘的 {pct}。",
                   "项目团队强调，相关方承诺分批出售，避免冲击市场。",
                   "历史上类似规模的解禁，常伴随短期价格回调。",
                   "市场数据平台已将此次事件列为本周关注度最高的解锁之一。"),
    },
}

TEMPLATES = {"financing": FINANCING, "listing": LISTING, "hack": HACK, "unlock": UNLOCK}
