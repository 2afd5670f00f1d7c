#include "store/search/SearchMerge.h"

#include <algorithm>
#include <deque>
#include <utility>

namespace ExternalContacts
{

void SearchMerge::run(Poco::Data::Session& session, SearchStreams::List& streams, const ContactListQuery& query,
					  const SearchQuery& search, std::size_t batch, const Visit& visit)
{
	struct Head
	{
		SearchStream* stream;
		std::deque<std::pair<SortKey, Contact>> rows;
		std::optional<SortKey> last;
		bool done = false;
		std::size_t batch;
	};
	std::vector<Head> heads;
	for (auto& s : streams)
	{
		// A stream that is re-checked may lose rows: read more at a time.
		std::size_t n = s->exact() ? batch : std::max<std::size_t>(batch, 200);
		heads.push_back({s.get(), {}, query.after, false, n});
	}
	Poco::Int64 lastId = 0;
	for (;;)
	{
		Head* next = nullptr;
		for (Head& h : heads)
		{
			if (h.rows.empty() && !h.done)
			{
				std::vector<Contact> rows = h.stream->fetch(session, h.last, h.batch);
				h.done = rows.size() < h.batch;
				for (Contact& c : rows)
				{
					SortKey key = c.sortKey();
					h.rows.emplace_back(key, std::move(c));
				}
				if (!h.rows.empty()) h.last = h.rows.back().first;
			}
			if (!h.rows.empty() && (!next || h.rows.front().first < next->rows.front().first)) next = &h;
		}
		if (!next) return;
		std::pair<SortKey, Contact> row = std::move(next->rows.front());
		next->rows.pop_front();
		// The same contact from two streams has the same key: it comes twice
		// in a row.
		if (row.second.id == lastId) continue;
		lastId = row.second.id;
		const Contact& c = row.second;
		if (!next->stream->exact() && !SearchText::matches(search, c.name, c.email, c.mobile, c.company)) continue;
		if (!visit(c)) return;
	}
}

} // namespace ExternalContacts
