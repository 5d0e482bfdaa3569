// std::string's member functions, compiled for speed and linked ahead of every other object.
//
// Since C++20 libstdc++ no longer declares std::string's instantiations extern, so every object file that
// uses a member (assign, append, _M_replace, ...) carries its own copy and the linker keeps the first one
// it sees: one from the CLI's objects, compiled -Os for size. There GCC expands memcpy into `rep movsb`,
// which starts slowly on the short and mid-sized strings the event stream copies for every event (ids,
// types, the data of each event), so the library's hot paths, compiled -O3, ended up calling the CLI's
// size-optimised copies. This object comes first in the link and defines them all at -O2 (memcpy through
// libc), so every caller gets those; the linker drops the ones nothing calls.

#include <string>

template class std::basic_string<char>;
