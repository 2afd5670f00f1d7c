#pragma once

#include "store/ContactListQuery.h"
#include "store/search/SearchStreams.h"
#include <Poco/Data/Session.h>
#include <cstddef>
#include <functional>

namespace ExternalContacts
{

class SearchMerge
/// Merges the streams of a search in SortKey order: one row at a time
/// from the stream whose next row sorts first, each contact once, the rows
/// of inexact streams re-checked with SearchText::matches. It stops once
/// the visitor says so, so a page costs about a page of rows per exact
/// stream, however common the term (docs/PERFORMANCE.md).
{
public:
	using Visit = std::function<bool(const Contact&)>;
	/// Takes a matching contact; false stops the merge.

	static void run(Poco::Data::Session& session, SearchStreams::List& streams, const ContactListQuery& query,
					const SearchQuery& search, std::size_t batch, const Visit& visit);
	/// Reads every stream from query.after on, batch rows at a time (more
	/// for a stream that is re-checked), and visits the matches in order.
};

} // namespace ExternalContacts
