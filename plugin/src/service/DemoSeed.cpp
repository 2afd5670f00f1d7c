#include "service/DemoSeed.h"
#include "domain/AccessPolicy.h"
#include "domain/ContactPermissions.h"
#include "domain/ContactValidator.h"
#include "domain/GroupMaintainers.h"
#include "domain/Invitation.h"
#include "service/GroupMaintainerService.h"
#include "service/SharingService.h"
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <algorithm>
#include <array>
#include <chrono>
#include <map>
#include <vector>

namespace ExternalContacts
{

const char* const DemoSeed::ORG = "星河科技";
const char* const DemoSeed::OTHER_ORG = "远山贸易";

namespace
{

const char* const REMOTE_ADDR = "127.0.0.1";
constexpr int LOCK_TIMEOUT_SECONDS = 120;

// The demo members of 星河科技 (the reference host's DemoData), as bits.
enum : unsigned
{
	ADMIN = 1,
	ZHANG = 2, // zhangwei
	LINA = 4,
	WANG = 8 // wangfang, holds external_contacts.maintain
};

struct Person
{
	unsigned bit;
	const char* login;
	const char* displayName; // for the directory's prefix search
};

const Person MEMBERS[] = {
	{ADMIN, "admin", "管理员"}, {ZHANG, "zhangwei", "张伟"}, {LINA, "lina", "李娜"}, {WANG, "wangfang", "王芳"}};

// What happens to a contact after it is made.
enum class Account
{
	None,
	Applied,  // an application waiting in the back-office log
	Rejected, // applied, rejected by admin
	Approved, // approved by admin: the account waits for activation
	Active,   // approved by wangfang; the host activates it (demo login emily.chen)
	Disabled  // assigned directly by wangfang, then disabled
};

struct DemoContact
{
	unsigned adder;
	const char* name;
	const char* mobile; // "" → 13800138NNN (NNN: the row number)
	const char* email;
	const char* company;
	const char* title;
	const char* department;
	const char* address;
	const char* remark;
	const char* tags; // comma-separated
	unsigned shares;  // shared with
	unsigned visible; // visible members besides the adder (权限设置)
	int securityLevel;
	Account account;
};

const char* const YUNSHAN = "北京云杉信息技术有限公司";
const char* const LANJING = "上海蓝鲸物流有限公司";
const char* const QIMING = "深圳前海启明投资有限公司";
const char* const QINGHE = "杭州青禾农业科技有限公司";
const char* const NANFANG = "广州南方医疗器械有限公司";
const char* const TIANFU = "成都天府文旅集团";
const char* const NORDLICHT = "Nordlicht Maschinenbau GmbH";
const char* const BRIGHTWAVE = "Brightwave Solutions Inc.";

// Fictional people: mobiles in 13800138xxx / 170 or the 555-01xx and
// similar fictional ranges, mail at example.com / example.cn.
const DemoContact CONTACTS[] = {
	{ZHANG, "李静", "", "li.jing@example.cn", YUNSHAN, "产品总监", "产品部", "北京市海淀区中关村南大街 5 号",
	 "季度复盘会的主要对接人，周二下午方便沟通。", "重点客户,产品", LINA, 0, 0, Account::None},
	{ZHANG, "王磊", "", "wang.lei@example.cn", YUNSHAN, "技术经理", "研发中心", "", "负责开放接口联调。", "技术", 0, 0,
	 0, Account::None},
	{ZHANG, "赵敏", "", "zhao.min@example.cn", YUNSHAN, "采购专员", "采购部", "", "需要开通外部账号查看报价单。",
	 "采购", 0, LINA, 0, Account::Applied},
	{LINA, "陈晓东", "", "chen.xiaodong@example.cn", YUNSHAN, "销售副总裁", "销售部", "", "", "决策人", ZHANG, 0, -5,
	 Account::None},
	{WANG, "刘畅", "", "liu.chang@example.cn", YUNSHAN, "法务经理", "法务部", "", "合同条款由她审核。", "", 0, 0, 0,
	 Account::None},
	{ZHANG, "孙悦", "", "sun.yue@example.cn", YUNSHAN, "市场经理", "市场部", "", "", "市场活动", LINA | WANG, 0, 0,
	 Account::None},
	{ADMIN, "郑国强", "", "zheng.guoqiang@example.cn", YUNSHAN, "首席执行官", "总裁办", "", "高管，仅限管理层联系。",
	 "高管", 0, WANG, -10, Account::None},
	{LINA, "黄丽", "", "huang.li@example.cn", YUNSHAN, "人力资源经理", "人力资源部", "", "", "", 0, 0, 0,
	 Account::None},

	{LINA, "周杰", "", "zhou.jie@example.cn", LANJING, "运营总监", "运营部", "上海市浦东新区洋山路 88 号",
	 "每月初对账。", "物流,重点客户", ZHANG, 0, 0, Account::None},
	{LINA, "吴婷", "", "wu.ting@example.cn", LANJING, "客服主管", "客户服务部", "", "", "", 0, 0, 0, Account::None},
	{LINA, "孙磊", "", "sun.lei@example.cn", LANJING, "仓储经理", "仓储部", "", "要查看入库计划，申请外部账号。",
	 "仓储", 0, ZHANG, 0, Account::Applied},
	{WANG, "马超", "", "ma.chao@example.cn", LANJING, "车队调度", "运输部", "", "", "", 0, 0, 0, Account::None},
	{ZHANG, "何静", "", "he.jing@example.cn", LANJING, "财务经理", "财务部", "", "每月 25 日前提交发票。", "财务", 0, 0,
	 0, Account::None},
	{LINA, "高峰", "", "gao.feng@example.cn", LANJING, "总经理", "总经办", "", "", "高管", 0, ADMIN, -5, Account::None},
	{WANG, "许文", "", "xu.wen@example.cn", LANJING, "报关专员", "关务部", "", "", "", LINA, 0, 0, Account::None},

	{WANG, "刘洋", "", "liu.yang@example.cn", QIMING, "投资经理", "投资部", "", "项目已结束，外部账号已停用。", "", 0,
	 0, 0, Account::Disabled},
	{WANG, "林嘉怡", "", "lin.jiayi@example.cn", QIMING, "合伙人", "投资部", "深圳市南山区前海大道 1 号", "",
	 "投资人,高管", 0, 0, -20, Account::None},
	{ADMIN, "邓子豪", "", "deng.zihao@example.cn", QIMING, "风控总监", "风控部", "", "", "", 0, 0, 0, Account::None},
	{WANG, "谢雨桐", "", "xie.yutong@example.cn", QIMING, "投资分析师", "研究部", "", "行业研究报告的联系人。", "",
	 ZHANG, 0, 0, Account::None},
	{ZHANG, "冯志远", "", "feng.zhiyuan@example.cn", QIMING, "董事总经理", "管理层", "", "", "高管", 0, 0, 0,
	 Account::None},
	{WANG, "曾凡", "", "zeng.fan@example.cn", QIMING, "投后管理", "投后部", "", "", "", 0, 0, 0, Account::None},
	{LINA, "唐静怡", "", "tang.jingyi@example.cn", QIMING, "行政主管", "行政部", "", "", "", 0, 0, 0, Account::None},

	{ZHANG, "周婷", "", "zhou.ting@example.cn", QINGHE, "渠道经理", "市场部", "", "", "渠道", 0, 0, 0,
	 Account::Rejected},
	{ZHANG, "钱佳", "", "qian.jia@example.cn", QINGHE, "技术总监", "研发部", "", "", "技术", 0, 0, 0, Account::None},
	{LINA, "蒋文", "", "jiang.wen@example.cn", QINGHE, "种植基地负责人", "生产部", "杭州市余杭区良渚街道 12 号",
	 "基地参观需提前一周预约。", "", 0, 0, 0, Account::None},
	{WANG, "韩雪", "", "han.xue@example.cn", QINGHE, "品牌经理", "品牌部", "", "", "市场活动", LINA | ZHANG, 0, 0,
	 Account::None},
	{ZHANG, "袁博", "", "yuan.bo@example.cn", QINGHE, "数据工程师", "数字农业事业部", "", "", "技术", 0, 0, 0,
	 Account::None},
	{ADMIN, "彭丽娟", "", "peng.lijuan@example.cn", QINGHE, "董事长", "董事会", "", "", "高管", 0, 0, -10,
	 Account::None},

	{LINA, "杨帆", "", "yang.fan@example.cn", NANFANG, "注册专员", "注册部", "", "医疗器械注册证的联系人。", "", 0, 0,
	 0, Account::None},
	{LINA, "罗敏", "", "luo.min@example.cn", NANFANG, "区域销售经理", "华南销售部", "广州市天河区珠江新城华夏路 30 号",
	 "", "重点客户", WANG, 0, 0, Account::None},
	{WANG, "梁伟", "", "liang.wei@example.cn", NANFANG, "质量经理", "质量部", "", "", "", 0, 0, 0, Account::None},
	{WANG, "宋佳", "", "song.jia@example.cn", NANFANG, "临床支持", "医学部", "", "", "", 0, 0, 0, Account::None},
	{ZHANG, "叶青", "", "ye.qing@example.cn", NANFANG, "采购经理", "供应链管理部", "", "", "采购", 0, 0, 0,
	 Account::None},
	{ADMIN, "程建国", "", "cheng.jianguo@example.cn", NANFANG, "副总经理", "总经办", "", "", "高管", 0, 0, -5,
	 Account::None},
	{LINA, "方圆", "", "fang.yuan@example.cn", NANFANG, "售后工程师", "技术服务部", "", "", "售后", 0, 0, 0,
	 Account::None},

	{WANG, "龙飞", "", "long.fei@example.cn", TIANFU, "项目总监", "文旅项目部", "成都市锦江区红星路三段 1 号", "", "",
	 0, 0, 0, Account::None},
	{ZHANG, "白露", "", "bai.lu@example.cn", TIANFU, "活动策划", "市场部", "", "年会场地由她协调。", "市场活动", 0, 0,
	 0, Account::None},
	{LINA, "任杰", "", "ren.jie@example.cn", TIANFU, "财务总监", "财务部", "", "", "财务", 0, 0, 0, Account::None},
	{WANG, "姜敏", "", "jiang.min@example.cn", TIANFU, "酒店运营经理", "酒店事业部", "", "", "", ZHANG, 0, 0,
	 Account::None},
	{ADMIN, "范文涛", "", "fan.wentao@example.cn", TIANFU, "集团副总裁", "集团总部", "", "", "高管", 0, 0, -10,
	 Account::None},

	{LINA, "Hans Müller", "+49 30 5550 1001", "hans.mueller@example.com", NORDLICHT, "Head of Sales APAC", "Vertrieb",
	 "Friedrichstraße 100, 10117 Berlin", "Prefers English or German; visits Shanghai every spring.", "重点客户,海外",
	 0, ZHANG, 0, Account::Approved},
	{LINA, "Anna Schmidt", "+49 89 5550 1002", "anna.schmidt@example.com", NORDLICHT, "Project Engineer", "Engineering",
	 "", "", "海外,技术", 0, 0, 0, Account::None},
	{WANG, "Jürgen Weber", "+49 40 5550 1003", "juergen.weber@example.com", NORDLICHT, "Service Manager", "After-Sales",
	 "", "", "海外,售后", LINA, 0, 0, Account::None},
	{LINA, "Katrin Fischer", "+49 711 5550 1004", "katrin.fischer@example.com", NORDLICHT, "Procurement Lead",
	 "Einkauf", "", "", "海外,采购", 0, 0, 0, Account::None},
	{ADMIN, "Stefan Becker", "+49 30 5550 1005", "stefan.becker@example.com", NORDLICHT, "Managing Director",
	 "Geschäftsführung", "", "", "海外,高管", 0, 0, -5, Account::None},
	{ZHANG, "高远", "", "gao.yuan@example.com", NORDLICHT, "中国区代表", "中国办事处", "上海市静安区南京西路 1266 号",
	 "", "海外", 0, 0, 0, Account::None},

	{ZHANG, "Emily Chen", "+1 415 555 0101", "emily.chen@example.com", BRIGHTWAVE, "Partner Manager", "Partnerships",
	 "500 Market Street, San Francisco", "Demo external login: emily.chen", "海外,合作伙伴", LINA, LINA | WANG, 0,
	 Account::Active},
	{ZHANG, "Michael Johnson", "+1 415 555 0102", "michael.johnson@example.com", BRIGHTWAVE, "VP Engineering",
	 "Engineering", "", "", "海外,技术", 0, 0, 0, Account::None},
	{LINA, "Sarah Williams", "+1 212 555 0103", "sarah.williams@example.com", BRIGHTWAVE, "Account Director", "Sales",
	 "", "", "海外", ZHANG, 0, 0, Account::None},
	{WANG, "David Brown", "+1 646 555 0104", "david.brown@example.com", BRIGHTWAVE, "Solutions Architect",
	 "Customer Success", "", "", "海外,技术", 0, 0, 0, Account::None},
	{ZHANG, "Jessica Lee", "+1 415 555 0105", "jessica.lee@example.com", BRIGHTWAVE, "Product Manager", "Product", "",
	 "", "海外,产品", 0, 0, 0, Account::None},
	{ADMIN, "Robert Taylor", "+1 212 555 0106", "robert.taylor@example.com", BRIGHTWAVE, "CFO", "Finance", "", "",
	 "海外,高管", 0, 0, -10, Account::None},

	{ZHANG, "张晓梅", "17000001201", "zhang.xiaomei@example.cn", "", "自由译者", "", "",
	 "德语、英语合同翻译，按页计费。", "翻译", LINA, 0, 0, Account::None},
	{LINA, "王建华", "17000001202", "wang.jianhua@example.cn", "", "执业律师", "", "", "常年法律顾问。", "法律", 0, 0,
	 0, Account::None},
	{WANG, "郭婷婷", "17000001203", "guo.tingting@example.cn", "", "摄影师", "", "", "产品发布会摄影。", "", 0, 0, 0,
	 Account::None},
	{ZHANG, "Lucas Martin", "17000001204", "lucas.martin@example.com", "", "Freelance UX Designer", "", "", "", "设计",
	 0, 0, 0, Account::None},
	{ADMIN, "陶然", "17000001205", "tao.ran@example.cn", "", "独立顾问", "", "", "", "", 0, 0, 0, Account::None},
	{WANG, "沈一鸣", "17000001206", "shen.yiming@example.cn", "", "猎头顾问", "", "", "", "", 0, 0, 0, Account::None},
};

Poco::JSON::Object::Ptr bodyOf(const DemoContact& c, std::size_t row)
{
	Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
	body->set("name", std::string(c.name));
	std::string mobile = c.mobile;
	if (mobile.empty())
	{
		std::string n = std::to_string(row + 1);
		mobile = "13800138" + std::string(3 - n.size(), '0') + n;
	}
	body->set("mobile", mobile);
	body->set("email", std::string(c.email));
	body->set("company", std::string(c.company));
	body->set("title", std::string(c.title));
	body->set("department", std::string(c.department));
	body->set("address", std::string(c.address));
	body->set("remark", std::string(c.remark));
	Poco::JSON::Array::Ptr tags = new Poco::JSON::Array;
	std::string text = c.tags;
	for (std::size_t start = 0; start < text.size();)
	{
		std::size_t comma = text.find(',', start);
		if (comma == std::string::npos) comma = text.size();
		tags->add(text.substr(start, comma - start));
		start = comma + 1;
	}
	body->set("tags", tags);
	return body;
}

struct Found
{
	Poco::Int64 orgId = 0;
	Poco::Int64 otherOrgId = 0;
	std::map<unsigned, Actor> members; // by bit
	Actor chenjie;
};

Poco::Int64 orgIdOf(Directory& directory, const std::string& orgName, const std::string& someone)
{
	return directory.findMembers(orgName, someone, 1).orgId;
}

// The member of org with exactly this login, as an actor; userId 0 when absent.
Actor memberOf(Directory& directory, Poco::Int64 orgId, const std::string& login)
{
	Actor actor;
	for (const Directory::MemberMatch& m : directory.searchMembers(orgId, login, 100))
		if (m.login == login) actor.userId = m.id;
	actor.orgId = orgId;
	actor.kind = Actor::Kind::Member;
	return actor;
}

std::vector<Poco::Int64> idsOf(const Found& found, unsigned bits)
{
	std::vector<Poco::Int64> ids;
	for (const auto& m : found.members)
		if (bits & m.first) ids.push_back(m.second.userId);
	std::sort(ids.begin(), ids.end());
	return ids;
}

} // namespace

DemoSeed::DemoSeed(Services services) : _services(services) {}

DemoSeed::Outcome DemoSeed::run()
{
	auto started = std::chrono::steady_clock::now();
	Outcome outcome;
	auto finish = [&](const std::string& reason)
	{
		outcome.reason = reason;
		outcome.elapsedMs =
			std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
		return outcome;
	};
	ContactService& contacts = _services.contacts;
	Directory& directory = _services.context.directory;

	// The demo org and people, as the host's --seed-demo makes them.
	Found found;
	found.orgId = orgIdOf(directory, ORG, "张伟");
	found.otherOrgId = orgIdOf(directory, OTHER_ORG, "陈杰");
	if (found.orgId == 0 || found.otherOrgId == 0) return finish("the demo organizations do not exist");
	for (const Person& p : MEMBERS)
	{
		Actor actor = memberOf(directory, found.orgId, p.login);
		if (actor.userId == 0) return finish(std::string("the demo member ") + p.login + " does not exist");
		found.members[p.bit] = actor;
	}
	found.chenjie = memberOf(directory, found.otherOrgId, "chenjie");
	if (found.chenjie.userId == 0) return finish("the demo member chenjie does not exist");
	Actor& admin = found.members[ADMIN];
	admin.isAdmin = directory.hasPermission(admin.userId, found.orgId, AccessPolicy::MAINTAIN_PERMISSION);
	const Actor& wang = found.members[WANG];
	if (!admin.isAdmin || !directory.hasPermission(wang.userId, found.orgId, AccessPolicy::MAINTAIN_PERMISSION))
		return finish("the demo members do not hold the demo permissions");

	// One node at a time; the first finds the org without contacts.
	std::string refused;
	_services.context.database.serialized(
		"ec-plugin", "demo-seed", LOCK_TIMEOUT_SECONDS,
		[&]
		{
			ListRequest any;
			any.scope = AccessPolicy::Scope::All;
			any.limit = 1;
			if (!contacts.list(admin, any).items.empty())
			{
				refused = "the demo organization already has contacts";
				return;
			}

			ApplicationService& applications = _services.applications;
			SharingService sharing(_services.context, contacts, &_services.accounts.persons());
			for (std::size_t row = 0; row < std::size(CONTACTS); ++row)
			{
				const DemoContact& c = CONTACTS[row];
				const Actor& adder = found.members[c.adder];
				ContactView view =
					contacts.create(adder, ContactValidator::validateCreate(*bodyOf(c, row)), REMOTE_ADDR);
				++outcome.contacts;
				Poco::Int64 id = view.contact.id;
				if (c.visible != 0 || c.securityLevel != view.contact.securityLevel)
				{
					ContactPermissions permissions;
					permissions.version = view.contact.version;
					permissions.visibleMembers = idsOf(found, c.visible | c.adder);
					permissions.securityLevel = c.securityLevel;
					sharing.setPermissions(adder, id, permissions, REMOTE_ADDR);
				}
				if (c.shares != 0) sharing.setShares(adder, id, idsOf(found, c.shares), REMOTE_ADDR);
				switch (c.account)
				{
				case Account::None:
					break;
				case Account::Applied:
					applications.apply(adder, id, "对方需要登录查看共享的资料，请批准。", REMOTE_ADDR);
					break;
				case Account::Rejected:
				{
					Poco::Int64 applied =
						applications.apply(adder, id, "渠道合作需要外部账号。", REMOTE_ADDR).application.id;
					applications.reject(admin, applied, "合作协议尚未签署，签署后再申请。", REMOTE_ADDR);
					break;
				}
				case Account::Approved:
				case Account::Active:
				{
					Poco::Int64 applied =
						applications.apply(adder, id, "Needs the shared project documents.", REMOTE_ADDR)
							.application.id;
					applications.approve(c.account == Account::Active ? wang : admin, applied, REMOTE_ADDR);
					break;
				}
				case Account::Disabled:
					applications.assign(wang, id, REMOTE_ADDR);
					_services.accounts.changeAccount(wang, id, AccountService::AccountChange::Disable, REMOTE_ADDR);
					break;
				}
			}

			// 分组维护者 of two company groups.
			GroupMaintainerService groupMaintainers(_services.context);
			groupMaintainers.set(admin, GroupMaintainers{LANJING, idsOf(found, LINA)}, REMOTE_ADDR);
			groupMaintainers.set(admin, GroupMaintainers{NORDLICHT, idsOf(found, ZHANG | LINA)}, REMOTE_ADDR);

			// 邀请微信好友: zhangwei's link, used once; lina's, not used yet.
			InvitationService& invitations = _services.invitations;
			InvitationSettings settings;
			settings.maxUses = 20;
			InvitationService::Issued issued = invitations.create(found.members[ZHANG], settings);
			InviteForm form;
			form.name = "吴晓峰";
			form.mobile = "13800138099";
			form.company = TIANFU;
			form.title = "市场总监";
			if (!form.problems().empty()) throw Poco::DataException("the demo invitation form breaks a rule");
			if (invitations.join(issued.token, form, "", REMOTE_ADDR).created) ++outcome.contacts;
			InvitationSettings shortLink;
			shortLink.ttlHours = 72;
			invitations.create(found.members[LINA], shortLink);

			// 从其他组织添加: chenjie (远山贸易) asks zhangwei, pending; wangfang asked
			// chenjie, who accepted (wangfang's contact, and an external user of 星河科技).
			// As a member does it, through the same rule: search (by the exact
			// name), then ask whom the search found.
			OrgRequestService& orgRequests = _services.orgRequests;
			Directory& directory = _services.context.directory;
			auto ask = [&](const Actor& from, Poco::Int64 orgId, Poco::Int64 userId)
			{
				orgRequests.search(from, directory.orgName(orgId), directory.displayNames({userId})[userId]);
				return orgRequests.request(from, orgId, userId);
			};
			ask(found.chenjie, found.orgId, found.members[ZHANG].userId);
			OrgRequest asked = ask(wang, found.otherOrgId, found.chenjie.userId);
			orgRequests.accept(found.chenjie, asked.id, REMOTE_ADDR);
			++outcome.contacts;
		});
	if (!refused.empty()) return finish(refused);

	outcome.seeded = true;
	return finish("");
}

} // namespace ExternalContacts
