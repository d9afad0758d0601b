#pragma once
// Database URLs in SQLAlchemy's form:
//   mysql://user:pass@host:3306/db?charset=utf8mb4   (also mariadb://)
//   mysql+libmariadb://user:pass@host/db              (a driver after '+': scheme "mysql", driver "libmariadb")
//   sqlite:///relative/path.db   sqlite:////absolute/path.db   sqlite:// (in memory)
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace orm {

/// A parsed database URL. User and password are percent-decoded.
struct url {
    std::string scheme;                        ///< "mysql", "mariadb", "sqlite" (lower case, without "+driver")
    std::string driver;                        ///< what followed '+' in the scheme ("libmariadb", "cppconn"), or ""
    std::string user;
    std::string password;
    std::string host;
    std::optional<unsigned> port;
    std::string database;                      ///< database name, or file path for sqlite ("" = in memory)
    std::map<std::string, std::string> query;  ///< ?key=value options

    /// Parses `text`; throws orm::url_error (without the password) when malformed.
    /// Example: `orm::url::parse("mysql://app:s%40cret@127.0.0.1:3306/shop")`.
    static url parse(std::string_view text);

    /// The URL with the password replaced by "***", safe to log. Query options are
    /// kept (percent-encoded where needed), the values of options whose names look
    /// secret (password, pass, pwd, secret, token, key, auth...) shown as "***":
    /// `mysql://app:***@db/shop?api_token=***&charset=utf8mb4`.
    std::string redacted() const;

    /// A query option, or `fallback` when absent.
    std::string option(const std::string& key, std::string fallback = {}) const;
};

}  // namespace orm
