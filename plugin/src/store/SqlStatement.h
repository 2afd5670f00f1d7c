#pragma once

#include "hostsdk/support/SqlDatabase.h"
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>
#include <Poco/Types.h>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ExternalContacts
{

class SqlStatement
/// A statement under construction: its text and its parameters, kept
/// as values so the same statement can be run or explained. The stores
/// whose statements are composed at run time (ContactStore, AuditStore,
/// SearchIndex, search/, ApplicationStore) build every statement with it;
/// the others use Poco's << with use() and into(). run() and execute()
/// go through HostSdk::SqlDatabase (statements kept prepared per
/// connection); query() returns a POCO RecordSet, for the rarer reads and
/// for EXPLAIN.
{
public:
	SqlStatement& operator<<(const std::string& text)
	{
		_text += text;
		return *this;
	}

	SqlStatement& integer(Poco::Int64 value)
	{
		Param p(Param::Kind::Int64);
		p.int64 = value;
		_params.push_back(std::move(p));
		return *this;
	}

	SqlStatement& smallInteger(int value)
	{
		Param p(Param::Kind::Int32);
		p.int32 = value;
		_params.push_back(std::move(p));
		return *this;
	}

	SqlStatement& text(const std::string& value)
	{
		Param p(Param::Kind::Text);
		p.text = value;
		_params.push_back(std::move(p));
		return *this;
	}

	SqlStatement& nullableInteger(const std::optional<Poco::Int64>& value)
	/// NULL for nothing.
	{
		Param p(Param::Kind::NullableInt64);
		if (value) p.nullableInt64 = *value;
		_params.push_back(std::move(p));
		return *this;
	}

	SqlStatement& nullableText(const std::optional<std::string>& value)
	/// NULL for nothing.
	{
		Param p(Param::Kind::NullableText);
		if (value) p.nullableText = *value;
		_params.push_back(std::move(p));
		return *this;
	}

	template <typename Texts> SqlStatement& in(const Texts& values)
	/// Appends "IN (?, …)" with a text parameter per value (values is a
	/// container of strings, not empty).
	{
		_text += "IN (";
		bool first = true;
		for (const std::string& value : values)
		{
			_text += first ? "?" : ", ?";
			text(value);
			first = false;
		}
		_text += ")";
		return *this;
	}

	static std::string placeholders(std::size_t n)
	/// "?, ?, …" for n values: the IN list of a statement built with
	/// Poco's << and use().
	{
		std::string text;
		for (std::size_t i = 0; i < n; ++i)
			text += i == 0 ? "?" : ", ?";
		return text;
	}

	const std::string& str() const
	{
		return _text;
	}

	void bindTo(Poco::Data::Statement& statement) const
	/// Binds every parameter by reference: this object must outlive the
	/// statement's execution.
	{
		using Poco::Data::Keywords::useRef;
		for (const Param& p : _params)
		{
			switch (p.kind)
			{
			case Param::Kind::Int64:
				statement.addBind(useRef(p.int64));
				break;
			case Param::Kind::Int32:
				statement.addBind(useRef(p.int32));
				break;
			case Param::Kind::Text:
				statement.addBind(useRef(p.text));
				break;
			// POCO's handler of Nullable is for the non-const type; the
			// binding only reads.
			case Param::Kind::NullableInt64:
				statement.addBind(useRef(const_cast<Poco::Nullable<Poco::Int64>&>(p.nullableInt64)));
				break;
			case Param::Kind::NullableText:
				statement.addBind(useRef(const_cast<Poco::Nullable<std::string>&>(p.nullableText)));
				break;
			}
		}
	}

	Poco::Data::RecordSet query(Poco::Data::Session& session, const std::string& prefix = std::string()) const
	{
		Poco::Data::Statement statement(session);
		statement << prefix + _text;
		bindTo(statement);
		statement.execute();
		return Poco::Data::RecordSet(statement);
	}

	std::size_t run(HostSdk::SqlDatabase& database, Poco::Data::Session& session,
					const std::function<void(const HostSdk::SqlDatabase::Row&)>& onRow) const
	/// Runs the statement through database.query() (kept prepared on the
	/// session's connection) and calls onRow for every row; returns the
	/// number of rows. For the statements every request runs.
	{
		return database.query(session, _text, params(), onRow);
	}

	std::size_t execute(HostSdk::SqlDatabase& database, Poco::Data::Session& session) const
	/// Runs a statement without a result through database.execute() (kept
	/// prepared); returns the rows it changed.
	{
		return database.execute(session, _text, params());
	}

	std::vector<HostSdk::SqlDatabase::Param> params() const
	/// The parameters as SqlDatabase binds them (text borrowed from this
	/// object).
	{
		using HostSdk::SqlDatabase;
		std::vector<SqlDatabase::Param> params;
		params.reserve(_params.size());
		for (const Param& p : _params)
		{
			switch (p.kind)
			{
			case Param::Kind::Int64:
				params.push_back(SqlDatabase::Param::integer(p.int64));
				break;
			case Param::Kind::Int32:
				params.push_back(SqlDatabase::Param::integer(p.int32));
				break;
			case Param::Kind::Text:
				params.push_back(SqlDatabase::Param::text(p.text));
				break;
			case Param::Kind::NullableInt64:
				params.push_back(p.nullableInt64.isNull() ? SqlDatabase::Param()
														  : SqlDatabase::Param::integer(p.nullableInt64.value()));
				break;
			case Param::Kind::NullableText:
				params.push_back(p.nullableText.isNull() ? SqlDatabase::Param()
														 : SqlDatabase::Param::text(p.nullableText.value()));
				break;
			}
		}
		return params;
	}

private:
	struct Param
	{
		enum class Kind
		{
			Int64,
			Int32,
			Text,
			NullableInt64,
			NullableText
		};
		explicit Param(Kind k) : kind(k) {}

		Kind kind;
		Poco::Int64 int64 = 0;
		int int32 = 0;
		std::string text;
		Poco::Nullable<Poco::Int64> nullableInt64;
		Poco::Nullable<std::string> nullableText;
	};

	std::string _text;
	std::vector<Param> _params;
};

} // namespace ExternalContacts
