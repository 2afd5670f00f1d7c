// Turns a database filled by ec_bench_generate into one a reference host can
// serve, for the HTTP benchmark (bench/http_bench.sh):
//   - applies the host's migrations (and the plugin's, already there);
//   - writes org 1 and a host user + membership for every member 1..M that
//     the generator used as adder / share target (login m<id>, no password),
//     in multi-row INSERTs;
//   - gives two of them a password to log in with: the heaviest adder
//     ("bench.heavy", scope "mine") and the lightest adder ("bench.maintain",
//     holder of external_contacts.maintain: scope "all" and the approver of
//     account applications), picked as ec_bench_contacts picks them;
//   - writes --apps pending account applications (one per live contact, the
//     contact's adder as applicant, never the maintainer) as
//     POST /contacts/{id}/applications leaves them, without the approvers'
//     notifications;
//   - writes the id files the wrk scripts cycle over: --out-dir/card-ids
//     (live contacts of the heavy member), --out-dir/app-ids and
//     --out-dir/edit-ids (contacts at version 1 for the edit case and the
//     SQL floor's edit).
// Prints key=value lines (heavy, maintainer, contacts, ...) for the script.
// Usage:
//   ec_bench_http_prep --connector sqlite|mysql --db CONNECTION_STRING --password P
//                      --out-dir DIR [--apps 20000] [--cards 2000] [--edits 8000]

#include "BenchCommon.h"
#include "Database.h"
#include "MigrationRunner.h"
#include "PasswordHasher.h"
#include <Poco/Exception.h>
#include <Poco/Timestamp.h>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

using namespace Poco::Data::Keywords;

namespace
{

void insertRows(Poco::Data::Session& s, const std::string& head, const std::vector<std::string>& rows)
{
	const std::size_t batch = 1000;
	for (std::size_t i = 0; i < rows.size(); i += batch)
	{
		std::string sql = head;
		for (std::size_t j = i; j < rows.size() && j < i + batch; ++j)
		{
			if (j > i) sql += ",";
			sql += "(" + rows[j] + ")";
		}
		s << sql, now;
	}
}

} // namespace

int main(int argc, char** argv)
{
	try
	{
		Bench::Options options(argc, argv);
		const std::string connector = options.required("connector");
		const std::string cs = options.required("db");
		const std::string password = options.required("password");
		const std::string outDir = options.required("out-dir");
		const std::size_t wantedApps = static_cast<std::size_t>(options.number("apps", 20000));
		const std::size_t wantedCards = static_cast<std::size_t>(options.number("cards", 2000));
		const std::size_t wantedEdits = static_cast<std::size_t>(options.number("edits", 8000));

		// The plugin's migrations (all of them), then the host's.
		Bench::openAndMigrate(connector, cs);
		RefHost::Database db(connector, cs, 2);
		RefHost::MigrationRunner(db, EC_SOURCE_DIR "/sql").migrate("host");

		Poco::Data::Session s = db.session();
		std::vector<Poco::Int64> adders, counts;
		s << "SELECT added_by, COUNT(*) FROM ec_contacts WHERE org_id = ? AND deleted_at IS NULL"
			 " GROUP BY added_by ORDER BY COUNT(*), added_by",
			bind(Bench::ORG), into(adders), into(counts), now;
		if (adders.empty()) throw Poco::IllegalStateException("no contacts: run ec_bench_generate first");
		Poco::Int64 members = 0, sharedMax = 0, live = 0;
		s << "SELECT MAX(added_by) FROM ec_contacts", into(members), now;
		s << "SELECT COALESCE(MAX(member_id), 0) FROM ec_contact_shares", into(sharedMax), now;
		s << "SELECT COUNT(*) FROM ec_contacts WHERE org_id = ? AND deleted_at IS NULL", bind(Bench::ORG), into(live),
			now;
		if (sharedMax > members) members = sharedMax;
		const Poco::Int64 heavy = adders.back();
		const Poco::Int64 maintainer = adders.front();

		Poco::Int64 orgs = 0;
		s << "SELECT COUNT(*) FROM orgs WHERE id = ?", bind(Bench::ORG), into(orgs), now;
		if (orgs != 0) throw Poco::IllegalStateException("org 1 exists already: prepare a fresh copy of the data");

		const Poco::Int64 at = Poco::Timestamp().epochMicroseconds() / 1000;
		const std::string hash = RefHost::PasswordHasher::hash(password);
		db.write(
			[&](Poco::Data::Session& w)
			{
				w << "INSERT INTO orgs (id, name, default_security_level, created_at) VALUES (?, ?, 0, ?)",
					bind(Bench::ORG), bind(std::string("基准科技")), bind(at), now;
				std::vector<std::string> users, memberships;
				users.reserve(static_cast<std::size_t>(members));
				for (Poco::Int64 id = 1; id <= members; ++id)
				{
					std::string login = id == heavy        ? "bench.heavy"
										: id == maintainer ? "bench.maintain"
														   : "m" + std::to_string(id);
					bool withPassword = id == heavy || id == maintainer;
					users.push_back(std::to_string(id) + ",'" + login + "','成员" + std::to_string(id) + "'," +
									(withPassword ? "'" + hash + "'" : std::string("NULL")) + ",'active'," +
									std::to_string(at));
					memberships.push_back(std::to_string(Bench::ORG) + "," + std::to_string(id) + ",'member',0,0," +
										  std::to_string(at));
				}
				insertRows(w, "INSERT INTO users (id, login, display_name, password_hash, status, created_at) VALUES ",
						   users);
				insertRows(
					w, "INSERT INTO memberships (org_id, user_id, kind, is_admin, security_level, created_at) VALUES ",
					memberships);
				w << "INSERT INTO member_permissions (org_id, user_id, permission) VALUES (?, ?, ?)", bind(Bench::ORG),
					bind(maintainer), bind(std::string("external_contacts.maintain")), now;
			});

		// Pending applications: the first live contacts by id (not the maintainer's own).
		std::vector<Poco::Int64> appContacts, appApplicants;
		{
			Poco::Data::Statement st(s);
			st << "SELECT id, added_by FROM ec_contacts WHERE org_id = ? AND deleted_at IS NULL AND added_by <> ?"
				  " ORDER BY id LIMIT ?",
				bind(Bench::ORG), bind(maintainer), bind(static_cast<Poco::Int64>(wantedApps)), into(appContacts),
				into(appApplicants), now;
		}
		db.write(
			[&](Poco::Data::Session& w)
			{
				std::vector<std::string> rows;
				for (std::size_t i = 0; i < appContacts.size(); ++i)
					rows.push_back(std::to_string(Bench::ORG) + "," + std::to_string(appContacts[i]) + "," +
								   std::to_string(appApplicants[i]) + ",'','pending'," + std::to_string(at) + "," +
								   std::to_string(appContacts[i]));
				insertRows(w,
						   "INSERT INTO ec_account_applications (org_id, contact_id, applicant_id, remark, status,"
						   " submitted_at, pending_contact_id) VALUES ",
						   rows);
			});
		std::vector<Poco::Int64> appIds;
		s << "SELECT id FROM ec_account_applications WHERE org_id = ? AND status = 'pending' ORDER BY id",
			bind(Bench::ORG), into(appIds), now;
		{
			std::ofstream out(outDir + "/app-ids");
			for (Poco::Int64 id : appIds)
				out << id << "\n";
		}

		// Cards: live contacts the heavy member added, spread over the id range.
		std::vector<Poco::Int64> cards;
		s << "SELECT id FROM ec_contacts WHERE org_id = ? AND added_by = ? AND deleted_at IS NULL ORDER BY id",
			bind(Bench::ORG), bind(heavy), into(cards), now;
		{
			std::ofstream out(outDir + "/card-ids");
			std::size_t step = cards.size() > wantedCards ? cards.size() / wantedCards : 1;
			for (std::size_t i = 0; i < cards.size(); i += step)
				out << cards[i] << "\n";
		}

		// Edits: the last live contacts by id not added by the heavy member, at
		// version 1 as generated; the applications took the first ones. One
		// edit each per pass; the SQL floor's edit case updates them first
		// (title and updated_at, not the version).
		std::vector<Poco::Int64> edits;
		s << "SELECT id FROM ec_contacts WHERE org_id = ? AND added_by <> ? AND deleted_at IS NULL AND version = 1"
			 " ORDER BY id DESC LIMIT ?",
			bind(Bench::ORG), bind(heavy), bind(static_cast<Poco::Int64>(wantedEdits)), into(edits), now;
		{
			std::ofstream out(outDir + "/edit-ids");
			for (Poco::Int64 id : edits)
				out << id << "\n";
		}

		std::cout << "heavy=" << heavy << "\nheavy_contacts=" << counts.back() << "\nmaintainer=" << maintainer
				  << "\nmembers=" << members << "\nlive=" << live << "\napps=" << appIds.size()
				  << "\ncards=" << cards.size() << "\nedits=" << edits.size() << "\n";
		return 0;
	}
	catch (const Poco::Exception& e)
	{
		std::cerr << "ec_bench_http_prep: " << e.displayText() << "\n";
		return 1;
	}
	catch (const std::exception& e)
	{
		std::cerr << "ec_bench_http_prep: " << e.what() << "\n";
		return 1;
	}
}
