#include "orm/error.hpp"

namespace orm {

namespace {

std::string compose_message(const error_info& info) {
    std::string text;
    if (!info.backend.empty()) {
        text += info.backend;
        if (info.native_code != 0 || !info.sqlstate.empty()) {
            text += " error";
            // Appended: "x" + std::string&& trips g++ 12 -O3 -Wrestrict (a false positive, GCC PR 105651).
            if (info.native_code != 0) {
                text += ' ';
                text += std::to_string(info.native_code);
            }
            if (!info.sqlstate.empty()) text += " (SQLSTATE " + info.sqlstate + ")";
        }
        text += ": ";
    }
    text += info.server_message;
    if (!info.statement.empty()) text += " [while executing: " + info.statement + "]";
    return text;
}

}  // namespace

error::error(const std::string& message, error_info info)
    : std::runtime_error(message.empty() ? compose_message(info) : message), info_(std::move(info)) {}

void raise(error_kind kind, error_info info) {
    switch (kind) {
        case error_kind::connection: throw connection_error({}, std::move(info));
        case error_kind::operational: throw operational_error({}, std::move(info));
        case error_kind::integrity: throw integrity_error({}, std::move(info));
        case error_kind::data: throw data_error({}, std::move(info));
        case error_kind::programming: throw programming_error({}, std::move(info));
        case error_kind::not_supported: throw not_supported_error({}, std::move(info));
        case error_kind::other: break;
    }
    throw database_error({}, std::move(info));
}

}  // namespace orm
