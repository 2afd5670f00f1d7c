#pragma once

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Types.h>
#include <string>
#include <vector>

namespace ExternalContacts
{

class SqlStatement
/// A statement under construction: its text and its parameters, kept
/// as values so the same statement can be run or explained.
{
public:
	SqlStatement& operator<<(const std::string& text)
	{
		_text += text;
		return *this;
	}

	SqlStatement& integer(Poco::Int64 value)
	{
		_params.push_back({Param::Kind::Int64, value, 0, {}});
		return *this;
	}

	SqlStatement& smallInteger(int value)
	{
		_params.push_back({Param::Kind::Int32, 0, value, {}});
		return *this;
	}

	SqlStatement& text(const std::string& value)
	{
		_params.push_back({Param::Kind::Text, 0, 0, value});
		return *this;
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

	std::size_t execute(Poco::Data::Session& session) const
	/// Runs a statement without a result; returns the rows it changed.
	{
		Poco::Data::Statement statement(session);
		statement << _text;
		bindTo(statement);
		return statement.execute();
	}

private:
	struct Param
	{
		enum class Kind
		{
			Int64,
			Int32,
			Text
		};
		Kind kind;
		Poco::Int64 int64;
		int int32;
		std::string text;
	};

	std::string _text;
	std::vector<Param> _params;
};

} // namespace ExternalContacts
