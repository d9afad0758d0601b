// A loading option's path must chain: each member's target type owns the next member.
#include "author_posts.hpp"

int main() {
    // Author::posts leads to Post, but the next member belongs to Author.
    auto option = orm::selectin_load(&Author::posts, &Author::posts);
    return static_cast<int>(option.path().size());
}
