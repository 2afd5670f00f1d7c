// Fills one org with generated external contacts for the contact-list
// benchmark: the plugin's own migrations create the schema, then
// multi-row INSERTs inside large transactions write
//   - N contacts (default 1,000,000) added by M members (default 10,000),
//     adders drawn with a Zipf skew (a few members added tens of
//     thousands, the median member a few dozen);
//   - ~30% of them with a company from a few thousand names, Chinese and
//     Latin, also skewed (some groups are large);
//   - one visible-member row per contact (its adder, as create() writes);
//   - share rows for ~10% of the contacts (1-3 members each), so every
//     member's "shared with me" branch has rows;
//   - ~2% soft-deleted contacts.
// The rows are written with the schema of migration 003 (as an install of
// that version would hold them); then the remaining migrations run and
// migration 004 back-fills the search tokens and group counts of the 1M
// rows, timed (what an upgrade costs).
// Deterministic for a given --seed. Usage:
//   ec_bench_generate --connector sqlite|mysql --db CONNECTION_STRING
//                     [--contacts 1000000] [--members 10000] [--seed 42]

#include "BenchCommon.h"
#include "domain/SortKey.h"
#include <Poco/Exception.h>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <numeric>
#include <random>
#include <set>
#include <string>
#include <vector>

using namespace Poco::Data::Keywords;

namespace
{

constexpr int BEFORE_SEARCH_INDEX = 3; // the rows are written before migration 004

const char* const SURNAMES[] = {
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何",   "高",
	"林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董",   "袁",
	"潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜",   "崔",
	"钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟", "欧阳", "司马"};
const char* const GIVEN[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
							 "涛", "明", "超", "秀", "霞", "平", "刚", "桂", "英", "华", "玉", "萍", "红", "建",
							 "文", "辉", "力", "鹏", "宇", "浩", "凯", "晨", "欣", "雪", "琳", "婷", "思", "佳",
							 "嘉", "子", "梓", "涵", "睿", "博", "然", "轩", "怡", "悦", "晓", "东", "海", "波",
							 "宁", "安", "诚", "信", "志", "国", "春", "秋", "冬", "兰", "梅", "竹", "松", "云"};
const char* const FIRST[] = {"James", "Mary",   "John",    "Patricia", "Robert", "Jennifer", "Michael", "Linda",
							 "David", "Anna",   "Thomas",  "Sarah",    "Daniel", "Laura",    "Paul",    "Emma",
							 "Lukas", "Sofia",  "Hiroshi", "Yuki",     "Pierre", "Claire",   "Marco",   "Giulia",
							 "Ahmed", "Fatima", "Ivan",    "Olga",     "Kevin",  "Grace",    "Chen",    "Wei"};
const char* const LAST[] = {"Smith",  "Johnson", "Williams", "Brown",  "Jones",    "Garcia", "Miller", "Davis",
							"Martin", "Muller",  "Schmidt",  "Tanaka", "Sato",     "Dubois", "Rossi",  "Bianchi",
							"Nguyen", "Kim",     "Park",     "Ivanov", "Novak",    "Silva",  "Santos", "Fischer",
							"Weber",  "Meyer",   "Wagner",   "Becker", "Hoffmann", "Lee",    "Wong",   "Chan"};
const char* const CITIES[] = {"北京", "上海", "深圳", "广州", "杭州", "南京", "成都", "武汉", "西安", "苏州",
							  "天津", "重庆", "长沙", "青岛", "厦门", "宁波", "合肥", "郑州", "济南", "大连"};
const char* const CORES[] = {"华信", "星辰", "云帆", "博远", "鼎盛", "恒通", "瑞丰", "金桥", "天宇", "锦程",
							 "中科", "联创", "汇智", "新元", "国泰", "安达", "长青", "启明", "宏图", "明德",
							 "东方", "万达", "海纳", "卓越", "精工", "嘉禾", "盛世", "同创", "永安", "腾飞"};
const char* const KINDS[] = {"科技有限公司", "贸易有限公司", "信息技术有限公司", "咨询有限公司", "实业有限公司",
							 "物流有限公司", "电子有限公司", "医疗器械有限公司", "建设集团",     "软件股份有限公司"};
const char* const LATIN_CORES[] = {"Acme",     "Globex",  "Initech",    "Umbrella", "Stark",    "Wayne",    "Hooli",
								   "Vandelay", "Soylent", "Cyberdyne",  "Tyrell",   "Wonka",    "Aperture", "Gringotts",
								   "Oscorp",   "Massive", "Pied Piper", "Blue Sun", "Nakatomi", "Monarch"};
const char* const LATIN_KINDS[] = {"Logistics GmbH",   "Trading Ltd",  "Systems Inc.", "Consulting AG",
								   "Electronics Co.",  "Foods S.A.",   "Robotics LLC", "Pharma KG",
								   "Capital Partners", "Software B.V."};
const char* const TITLES[] = {"经理", "总监", "工程师",        "销售代表",          "采购经理",
							  "CEO",  "CTO",  "Sales Manager", "Account Executive", "项目经理"};
const char* const DEPARTMENTS[] = {"销售部", "采购部", "技术部", "市场部", "财务部", "Operations", "R&D"};

template <typename T, std::size_t N> constexpr std::size_t count(const T (&)[N])
{
	return N;
}

class Zipf
/// Draws ranks 0..n-1 with P(k) proportional to 1 / (k+1)^s.
{
public:
	Zipf(std::size_t n, double s) : _cumulative(n)
	{
		double sum = 0;
		for (std::size_t k = 0; k < n; ++k)
		{
			sum += 1.0 / std::pow(static_cast<double>(k + 1), s);
			_cumulative[k] = sum;
		}
	}

	template <typename Rng> std::size_t operator()(Rng& rng) const
	{
		std::uniform_real_distribution<double> u(0.0, _cumulative.back());
		double x = u(rng);
		return static_cast<std::size_t>(std::lower_bound(_cumulative.begin(), _cumulative.end(), x) -
										_cumulative.begin());
	}

private:
	std::vector<double> _cumulative;
};

std::vector<std::string> companyNames(std::size_t wanted)
{
	// About 60% Chinese (city + core + kind, e.g. 杭州星辰科技有限公司), the rest Latin.
	std::vector<std::string> chinese, latin;
	for (const char* city : CITIES)
		for (const char* core : CORES)
			for (const char* kind : KINDS)
				chinese.push_back(std::string(city) + core + kind);
	for (const char* core : LATIN_CORES)
		for (const char* kind : LATIN_KINDS)
			for (const char* city : {"", " Shanghai", " Beijing", " Europe", " Asia", " Americas", " Holding"})
				latin.push_back(std::string(core) + city + " " + kind);
	std::mt19937_64 rng(7);
	std::shuffle(chinese.begin(), chinese.end(), rng);
	std::shuffle(latin.begin(), latin.end(), rng);
	std::vector<std::string> names;
	std::size_t c = 0, l = 0;
	while (names.size() < wanted && (c < chinese.size() || l < latin.size()))
	{
		bool takeChinese = (names.size() % 5 < 3 && c < chinese.size()) || l >= latin.size();
		names.push_back(takeChinese ? chinese[c++] : latin[l++]);
	}
	std::shuffle(names.begin(), names.end(), rng);
	return names;
}

std::string quoted(const std::string& s, bool mysql)
{
	std::string out = "'";
	for (char ch : s)
	{
		if (ch == '\'') out += '\'';
		if (ch == '\\' && mysql) out += '\\';
		out += ch;
	}
	return out + "'";
}

std::string optionalText(const std::string& s, bool mysql)
{
	return s.empty() ? "NULL" : quoted(s, mysql);
}

class Batch
/// Rows of one multi-row INSERT, flushed every `rows` rows.
{
public:
	Batch(Poco::Data::Session& session, std::string head, std::size_t rows) :
		_session(session), _head(std::move(head)), _limit(rows)
	{
	}

	bool add(const std::string& values)
	/// True when this row filled the batch and it was written.
	{
		_sql += _n == 0 ? _head : ",";
		_sql += "(" + values + ")";
		if (++_n < _limit) return false;
		flush();
		return true;
	}

	void flush()
	{
		if (_n == 0) return;
		_session << _sql, now;
		_sql.clear();
		_n = 0;
	}

private:
	Poco::Data::Session& _session;
	std::string _head;
	std::size_t _limit;
	std::string _sql;
	std::size_t _n = 0;
};

} // namespace

int main(int argc, char** argv)
{
	try
	{
		Bench::Options options(argc, argv);
		const std::string connector = options.required("connector");
		const std::string db = options.required("db");
		const Poco::Int64 contacts = options.number("contacts", 1000000);
		const Poco::Int64 members = options.number("members", 10000);
		const std::size_t companies = static_cast<std::size_t>(options.number("companies", 3000));
		std::mt19937_64 rng(static_cast<std::uint64_t>(options.number("seed", 42)));

		auto started = std::chrono::steady_clock::now();
		std::unique_ptr<ExternalContacts::Database> database =
			Bench::openAndMigrate(connector, db, BEFORE_SEARCH_INDEX);
		const bool mysql = database->dialect() == ExternalContacts::Database::Dialect::MySQL;
		Poco::Data::Session s = database->session();
		{
			Poco::Int64 existing = 0;
			s << "SELECT COUNT(*) FROM ec_contacts", into(existing), now;
			if (existing != 0)
				throw Poco::IllegalStateException("ec_contacts is not empty; generate into a fresh database");
		}
		if (mysql)
		{
			s << "SET SESSION unique_checks = 0", now;
			s << "SET SESSION foreign_key_checks = 0", now;
		}
		else
		{
			s << "PRAGMA synchronous = OFF", now;
			s << "PRAGMA cache_size = -1048576", now; // 1 GiB while loading
		}

		// Adders: Zipf(0.9) over members, rank -> member id through a permutation
		// so the heavy members are not simply the lowest ids.
		std::vector<Poco::Int64> byRank(static_cast<std::size_t>(members));
		std::iota(byRank.begin(), byRank.end(), 1);
		std::shuffle(byRank.begin(), byRank.end(), rng);
		Zipf adderRank(byRank.size(), 0.9);
		std::vector<std::string> companyList = companyNames(companies);
		Zipf companyRank(companyList.size(), 0.8);
		std::uniform_real_distribution<double> p(0.0, 1.0);
		std::uniform_int_distribution<Poco::Int64> anyMember(1, members);
		const Poco::Int64 epochMs = 1600000000000LL;

		const std::size_t rowsPerInsert = 1000;
		const Poco::Int64 rowsPerTransaction = 100000;
		Poco::Int64 shares = 0, deleted = 0, withCompany = 0;
		for (Poco::Int64 first = 1; first <= contacts; first += rowsPerTransaction)
		{
			Poco::Int64 last = std::min(contacts, first + rowsPerTransaction - 1);
			database->begin(s);
			try
			{
				Batch contactRows(
					s,
					"INSERT INTO ec_contacts (id, org_id, name, mobile, email, company, title, department,"
					" tags, source, added_by, security_level, group_rank, group_name, version, created_at,"
					" updated_at, deleted_at, mobile_key, email_key) VALUES ",
					rowsPerInsert);
				// Rows that refer to contacts are written right after those contacts.
				const std::size_t unbounded = static_cast<std::size_t>(-1);
				Batch visibleRows(s, "INSERT INTO ec_contact_visible_members (contact_id, member_id) VALUES ",
								  unbounded);
				Batch shareRows(s,
								"INSERT INTO ec_contact_shares (contact_id, member_id, org_id, shared_by, created_at)"
								" VALUES ",
								unbounded);
				for (Poco::Int64 id = first; id <= last; ++id)
				{
					Poco::Int64 adder = byRank[adderRank(rng)];
					bool chinese = p(rng) < 0.65;
					std::string name, email;
					if (chinese)
					{
						name = SURNAMES[rng() % count(SURNAMES)];
						name += GIVEN[rng() % count(GIVEN)];
						if (p(rng) < 0.6) name += GIVEN[rng() % count(GIVEN)];
						if (p(rng) < 0.4)
							email = "c" + std::to_string(id) + "@mail" + std::to_string(rng() % 50) + ".cn";
					}
					else
					{
						std::string firstName = FIRST[rng() % count(FIRST)];
						std::string lastName = LAST[rng() % count(LAST)];
						name = firstName + " " + lastName;
						if (p(rng) < 0.7)
						{
							email = firstName + "." + lastName + std::to_string(id % 1000) + "@example" +
									std::to_string(rng() % 50) + ".com";
							std::transform(email.begin(), email.end(), email.begin(),
										   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
						}
					}
					std::string mobile;
					if (p(rng) < 0.9)
					{
						mobile = "1" + std::to_string(3 + rng() % 7);
						std::string digits = std::to_string(100000000 + rng() % 900000000);
						mobile += digits;
					}
					std::string company;
					if (p(rng) < 0.3)
					{
						company = companyList[companyRank(rng)];
						++withCompany;
					}
					std::string title = p(rng) < 0.4 ? TITLES[rng() % count(TITLES)] : "";
					std::string department = p(rng) < 0.3 ? DEPARTMENTS[rng() % count(DEPARTMENTS)] : "";
					double sourceDraw = p(rng);
					const char* source = sourceDraw < 0.85   ? "created"
										 : sourceDraw < 0.95 ? "wechat_invite"
															 : "other_org";
					int securityLevel = p(rng) < 0.8 ? 0 : -5;
					ExternalContacts::SortKey key = ExternalContacts::SortKey::forContact(company, name, id);
					Poco::Int64 createdAt = epochMs + id * 1000;
					bool isDeleted = p(rng) < 0.02;
					if (isDeleted) ++deleted;
					std::string row = std::to_string(id) + "," + std::to_string(Bench::ORG) + "," +
									  quoted(name, mysql) + "," + optionalText(mobile, mysql) + "," +
									  optionalText(email, mysql) + "," + optionalText(company, mysql) + "," +
									  optionalText(title, mysql) + "," + optionalText(department, mysql) + "," +
									  (p(rng) < 0.1 ? quoted("[\"客户\"]", mysql) : std::string("'[]'")) + ",'" +
									  source + "'," + std::to_string(adder) + "," + std::to_string(securityLevel) +
									  "," + std::to_string(key.groupRank) + "," + quoted(key.groupName, mysql) + ",1," +
									  std::to_string(createdAt) + "," + std::to_string(createdAt) + "," +
									  (isDeleted ? std::to_string(createdAt + 1000) : std::string("NULL")) + "," +
									  // The duplicate keys (DuplicateKey): the digits-only mobile and
									  // the lower-case email are their own keys.
									  optionalText(mobile, mysql) + "," + optionalText(email, mysql);
					bool written = contactRows.add(row);
					visibleRows.add(std::to_string(id) + "," + std::to_string(adder));
					if (p(rng) < 0.1)
					{
						std::set<Poco::Int64> with;
						int n = 1 + static_cast<int>(rng() % 3);
						while (static_cast<int>(with.size()) < n && members > 1)
						{
							Poco::Int64 m = anyMember(rng);
							if (m != adder) with.insert(m);
						}
						for (Poco::Int64 m : with)
						{
							shareRows.add(std::to_string(id) + "," + std::to_string(m) + "," +
										  std::to_string(Bench::ORG) + "," + std::to_string(adder) + "," +
										  std::to_string(createdAt + 2000));
							++shares;
						}
					}
					if (written)
					{
						visibleRows.flush();
						shareRows.flush();
					}
				}
				contactRows.flush();
				visibleRows.flush();
				shareRows.flush();
				database->commit(s);
			}
			catch (...)
			{
				database->rollback(s);
				throw;
			}
			double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
			std::cerr << "  " << last << " / " << contacts << " contacts, " << static_cast<int>(elapsed) << " s\n";
		}
		if (mysql)
		{
			s << "SET SESSION unique_checks = 1", now;
			s << "SET SESSION foreign_key_checks = 1", now;
		}
		double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
		auto upgrade = std::chrono::steady_clock::now();
		Bench::openAndMigrate(connector, db);
		double backfill = std::chrono::duration<double>(std::chrono::steady_clock::now() - upgrade).count();
		{
			// What the search index costs in rows and bytes.
			Poco::Data::Session check = database->session();
			Poco::Int64 tokens = 0, counts = 0;
			check << "SELECT COUNT(*) FROM ec_contact_search", into(tokens), now;
			check << "SELECT COUNT(*) FROM ec_group_counts", into(counts), now;
			std::cout << "search index: " << tokens << " token rows ("
					  << static_cast<double>(tokens) / static_cast<double>(contacts - deleted) << " per live contact), "
					  << counts << " group-count rows\n";
			if (mysql)
			{
				std::vector<std::string> tables;
				std::vector<Poco::Int64> data, index;
				check << "SELECT table_name, data_length, index_length FROM information_schema.tables"
						 " WHERE table_schema = DATABASE() AND table_name LIKE 'ec\\_%' ORDER BY table_name",
					into(tables), into(data), into(index), now;
				for (std::size_t i = 0; i < tables.size(); ++i)
					std::cout << "  " << tables[i] << ": " << (data[i] + index[i]) / (1024 * 1024)
							  << " MiB (InnoDB estimate)\n";
			}
			else
			{
				try
				{
					std::vector<std::string> tables;
					std::vector<Poco::Int64> bytes;
					check << "SELECT name, SUM(pgsize) FROM dbstat WHERE name LIKE 'ec\\_%' ESCAPE '\\' OR name LIKE "
							 "'ix\\_%'"
							 " ESCAPE '\\' OR name LIKE 'sqlite_autoindex%' GROUP BY name ORDER BY name",
						into(tables), into(bytes), now;
					for (std::size_t i = 0; i < tables.size(); ++i)
						std::cout << "  " << tables[i] << ": " << bytes[i] / (1024 * 1024) << " MiB\n";
				}
				catch (const Poco::Exception&)
				{
					// SQLite built without dbstat: the file size tells the total.
				}
			}
		}
		std::cout << "generated " << contacts << " contacts (" << withCompany << " with a company, " << deleted
				  << " soft-deleted), " << members << " members, " << shares << " shares in " << elapsed
				  << " s; migrations from 004 on (search tokens and group counts back-filled) in " << backfill
				  << " s\n";
		return 0;
	}
	catch (const Poco::Exception& e)
	{
		std::cerr << "ec_bench_generate: " << e.displayText() << "\n";
	}
	catch (const std::exception& e)
	{
		std::cerr << "ec_bench_generate: " << e.what() << "\n";
	}
	return 1;
}
