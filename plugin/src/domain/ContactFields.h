#pragma once

#include <optional>
#include <string>
#include <vector>

namespace ExternalContacts
{

struct ContactFields
/// The fields of a contact that people enter (the 新建 form, R2.1), as
/// ContactValidator accepts them: trimmed, empty optional fields absent,
/// tags without duplicates.
{
	std::string name;
	std::optional<std::string> mobile;
	std::optional<std::string> email;
	std::optional<std::string> company;
	std::optional<std::string> title;
	std::optional<std::string> department;
	std::optional<std::string> address;
	std::optional<std::string> remark;
	std::vector<std::string> tags;
};

} // namespace ExternalContacts
