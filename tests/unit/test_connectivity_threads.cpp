// The synapse table is built on the threads (target ranges, then a scatter per range): it must be the
// same table, bit for bit, for any thread count, and a bad drawn value must be reported as the first
// one in target order, as one thread finds it.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "ionode/detail/thread_pool.hpp"
#include "ionode/error.hpp"
#include "ionode/network/connectivity.hpp"

namespace {

using ionode::network::build_request;
using ionode::network::connection_rule;
using ionode::network::synapse_table;
using ionode::network::synapse_values;

build_request request_for(connection_rule rule) {
  build_request r;
  r.name = "E->I";
  r.pre_size = 3000;
  r.post_size = 5000;  // 4 ranges of at least 1024 targets: up to 4 threads take part
  r.rule = std::move(rule);
  r.weight = {.type = synapse_values::kind::normal, .a = 0.5, .b = 0.2};
  r.delay = {.type = synapse_values::kind::uniform, .a = 0.0, .b = 3.0};
  r.dt = 0.1;
  r.seed = 2024;
  return r;
}

synapse_table build_with(build_request r, std::size_t threads) {
  std::unique_ptr<ionode::detail::thread_pool> pool;
  if (threads > 1) pool = std::make_unique<ionode::detail::thread_pool>(threads);
  r.pool = pool.get();
  return ionode::network::build_synapses(r);
}

void expect_same_table(const synapse_table& a, const synapse_table& b, const std::string& what) {
  EXPECT_EQ(a.offsets, b.offsets) << what;
  EXPECT_EQ(a.post, b.post) << what;
  EXPECT_EQ(a.drawn_weight, b.drawn_weight) << what;
  EXPECT_EQ(a.weight, b.weight) << what;
  EXPECT_EQ(a.delay, b.delay) << what;
  EXPECT_EQ(a.max_delay, b.max_delay) << what;
}

std::vector<std::pair<std::string, connection_rule>> rules() {
  using kind = connection_rule::kind;
  connection_rule listed{.type = kind::explicit_list};
  for (std::int64_t s = 0; s < 20000; ++s) {  // scattered pairs, targets out of order, some repeated
    listed.pre.push_back((s * 7919) % 3000);
    listed.post.push_back((s * 104729 + s / 3) % 5000);
  }
  return {{"all_to_all", {.type = kind::all_to_all}},
          {"one_to_one", {.type = kind::one_to_one}},
          {"probability", {.type = kind::probability, .p = 0.01}},
          {"in_degree", {.type = kind::in_degree, .degree = 25}},
          {"out_degree", {.type = kind::out_degree, .degree = 40}},
          {"explicit", listed}};
}

TEST(ConnectivityThreads, TheSameTableForAnyThreadCount) {
  for (auto [name, rule] : rules()) {
    build_request r = request_for(rule);
    if (rule.type == connection_rule::kind::one_to_one) r.pre_size = r.post_size;
    if (rule.type == connection_rule::kind::all_to_all) r.pre_size = 300;  // 1.5e6 synapses is plenty
    const synapse_table one = build_with(r, 1);
    ASSERT_GT(one.post.size(), 0u) << name;
    for (std::size_t threads : {2u, 3u, 4u}) {
      expect_same_table(build_with(r, threads), one, name + ", " + std::to_string(threads) + " threads");
    }
  }
}

TEST(ConnectivityThreads, ABadDrawnDelayIsReportedAsOneThreadReportsIt) {
  // Delays uniform in [0, 10 s] at dt = 0.1 ms: most are beyond the 65535 steps allowed. The first in
  // target order (target 0's) is the one reported, whoever drew it.
  build_request r = request_for({.type = connection_rule::kind::in_degree, .degree = 10});
  r.delay = {.type = synapse_values::kind::uniform, .a = 0.0, .b = 10000.0};
  std::string one_thread;
  try {
    build_with(r, 1);
  } catch (const ionode::error& e) {
    one_thread = e.what();
  }
  ASSERT_FALSE(one_thread.empty());
  for (std::size_t threads : {2u, 3u}) {
    try {
      build_with(r, threads);
      ADD_FAILURE() << threads << " threads: no error";
    } catch (const ionode::error& e) {
      EXPECT_EQ(std::string(e.what()), one_thread) << threads << " threads";
    }
  }
}

}  // namespace
