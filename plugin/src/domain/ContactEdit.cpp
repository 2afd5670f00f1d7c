#include "domain/ContactEdit.h"

#include <algorithm>

namespace ExternalContacts
{

bool ContactEdit::has(const std::string& field) const
{
	return std::find(given.begin(), given.end(), field) != given.end();
}

void ContactEdit::applyTo(ContactFields& fields) const
{
	if (has("name")) fields.name = values.name;
	if (has("mobile")) fields.mobile = values.mobile;
	if (has("email")) fields.email = values.email;
	if (has("company")) fields.company = values.company;
	if (has("title")) fields.title = values.title;
	if (has("department")) fields.department = values.department;
	if (has("address")) fields.address = values.address;
	if (has("remark")) fields.remark = values.remark;
	if (has("tags")) fields.tags = values.tags;
}

} // namespace ExternalContacts
