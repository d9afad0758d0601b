// Relationship members: loading on first access and user changes, through the owning session.
#include "orm/relationship.hpp"

#include <string>

namespace orm::detail {

namespace {
[[noreturn]] void not_owned(std::string_view what, std::string_view type) {
    throw not_loaded_error("orm: this " + std::string(what) + "<" + std::string(type) +
                           "> is not loaded and no session owns its object (a copy, or an object not added or already detached): "
                           "it cannot be loaded; use the session's own object");
}
}  // namespace

void* to_one_base::resolve(std::string_view target_type) const {
    if (!loaded_) {
        if (!hook_.loader) not_owned("orm::to_one", target_type);
        hook_.loader->load(*hook_.owner, const_cast<to_one_base&>(*this));
    }
    return target_;
}

void to_one_base::assign(void* target) {
    void* before = loaded_ ? target_ : nullptr;
    target_ = target;
    loaded_ = true;
    assigned_ = true;
    if (hook_.loader) hook_.loader->linked(*hook_.owner, *this, before);
}

const std::vector<void*>& collection_base::resolve(std::string_view item_type) const {
    if (!loaded_) {
        if (!hook_.loader) not_owned("orm::collection", item_type);
        hook_.loader->load(*hook_.owner, const_cast<collection_base&>(*this));
    }
    return items_;
}

void collection_base::append(void* item, std::string_view item_type) {
    if (hook_.loader) resolve(item_type);
    else loaded_ = true;  // a new object's collection, filled before it is added
    if (std::find(items_.begin(), items_.end(), item) != items_.end()) return;
    if (hook_.loader) hook_.loader->appended(*hook_.owner, *this, item);  // may refuse it: then nothing changed
    items_.push_back(item);
    appended_ = true;
    std::erase(removed_, item);
}

bool collection_base::remove(void* item, std::string_view item_type) {
    resolve(item_type);
    auto at = std::find(items_.begin(), items_.end(), item);
    if (at == items_.end()) return false;
    items_.erase(at);
    removed_.push_back(item);
    if (hook_.loader) hook_.loader->removed(*hook_.owner, *this, item);
    return true;
}

}  // namespace orm::detail
