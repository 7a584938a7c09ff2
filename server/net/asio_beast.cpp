// The one translation unit that compiles Asio and Beast (BOOST_*_SEPARATE_COMPILATION):
// every other file includes their headers without paying for their implementation again.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
