// A small discrete-event simulation of a bank of queues, written with the
// standard library: containers, algorithms, strings, streams, templates and
// lambdas. Its output is a deterministic report (no clocks, fixed seed).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <functional>
#include <iomanip>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <numeric>
#include <queue>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

// xorshift64*: a fixed, portable pseudo-random sequence
class Rng {
  public:
    explicit Rng(std::uint64_t seed) : s_(seed ? seed : 1) {}
    std::uint64_t next() {
        s_ ^= s_ >> 12;
        s_ ^= s_ << 25;
        s_ ^= s_ >> 27;
        return s_ * 0x2545F4914F6CDD1DULL;
    }
    unsigned below(unsigned n) { return static_cast<unsigned>(next() % n); }

  private:
    std::uint64_t s_;
};

struct Event {
    long time;
    int kind; // 0 arrival, 1 departure
    int queue;
    int customer;
    bool operator>(const Event &o) const {
        if (time != o.time) return time > o.time;
        if (kind != o.kind) return kind > o.kind;
        return customer > o.customer;
    }
};

template <typename T> struct Summary {
    T min{}, max{};
    double mean = 0, m2 = 0;
    std::size_t n = 0;
    void add(T x) {
        if (n == 0 || x < min) min = x;
        if (n == 0 || x > max) max = x;
        ++n;
        double d = static_cast<double>(x) - mean;
        mean += d / static_cast<double>(n);
        m2 += d * (static_cast<double>(x) - mean);
    }
    double variance() const { return n > 1 ? m2 / static_cast<double>(n - 1) : 0.0; }
};

class Teller {
  public:
    explicit Teller(std::string name) : name_(std::move(name)) {}
    virtual ~Teller() = default;
    virtual long service_time(Rng &rng) const = 0;
    const std::string &name() const { return name_; }
    std::deque<int> line;
    bool busy = false;
    long busy_time = 0;
    Summary<long> waits;

  private:
    std::string name_;
};

class FastTeller : public Teller {
  public:
    using Teller::Teller;
    long service_time(Rng &rng) const override { return 2 + rng.below(4); }
};

class SlowTeller : public Teller {
  public:
    using Teller::Teller;
    long service_time(Rng &rng) const override { return 4 + rng.below(9); }
};

} // namespace

int main() {
    Rng rng(0x5eed);
    std::vector<std::unique_ptr<Teller>> tellers;
    for (const char *n : {"alice", "bob", "carol"})
        tellers.push_back(std::make_unique<FastTeller>(n));
    for (const char *n : {"dave", "erin"})
        tellers.push_back(std::make_unique<SlowTeller>(n));

    std::priority_queue<Event, std::vector<Event>, std::greater<Event>> events;
    std::unordered_map<int, long> arrived;
    long t = 0;
    for (int c = 0; c < 4000; ++c) {
        t += 1 + (rng.below(8) == 0);
        events.push({t, 0, -1, c});
    }

    Summary<long> all_waits;
    std::map<long, int> wait_hist;
    long now = 0;
    while (!events.empty()) {
        Event e = events.top();
        events.pop();
        now = e.time;
        if (e.kind == 0) {
            auto best = std::min_element(tellers.begin(), tellers.end(), [](const auto &a, const auto &b) {
                auto la = a->line.size() + a->busy, lb = b->line.size() + b->busy;
                return la != lb ? la < lb : a->name() < b->name();
            });
            int q = static_cast<int>(best - tellers.begin());
            arrived[e.customer] = now;
            (*best)->line.push_back(e.customer);
        } else {
            tellers[e.queue]->busy = false;
        }
        for (std::size_t q = 0; q < tellers.size(); ++q) {
            Teller &tl = *tellers[q];
            if (!tl.busy && !tl.line.empty()) {
                int c = tl.line.front();
                tl.line.pop_front();
                long w = now - arrived[c];
                tl.waits.add(w);
                all_waits.add(w);
                ++wait_hist[std::min(w, 12L)];
                long s = tl.service_time(rng);
                tl.busy = true;
                tl.busy_time += s;
                events.push({now + s, 1, static_cast<int>(q), c});
            }
        }
    }

    std::ostringstream out;
    out << std::fixed << std::setprecision(3);
    out << "simulated " << all_waits.n << " customers until t=" << now << "\n";
    out << "wait: mean " << all_waits.mean << " sd " << std::sqrt(all_waits.variance()) << " min "
        << all_waits.min << " max " << all_waits.max << "\n";
    for (const auto &tl : tellers)
        out << "  " << std::left << std::setw(6) << tl->name() << std::right << " served " << std::setw(5)
            << tl->waits.n << " util " << std::setw(7)
            << 100.0 * static_cast<double>(tl->busy_time) / static_cast<double>(now) << "% mean wait "
            << tl->waits.mean << "\n";
    int total = std::accumulate(wait_hist.begin(), wait_hist.end(), 0,
                                [](int acc, const auto &kv) { return acc + kv.second; });
    for (const auto &[bucket, count] : wait_hist)
        out << "  wait " << std::setw(3) << bucket << (bucket == 12 ? "+" : " ") << std::setw(6) << count << " "
            << std::string(static_cast<std::size_t>(count * 50 / total), '*') << "\n";

    std::vector<std::string> names;
    std::transform(tellers.begin(), tellers.end(), std::back_inserter(names),
                   [](const auto &p) { return p->name(); });
    std::sort(names.begin(), names.end(), std::greater<>());
    std::string joined = std::accumulate(std::next(names.begin()), names.end(), names.front(),
                                         [](std::string a, const std::string &b) { return a + "," + b; });
    std::cout << out.str() << "tellers: " << joined << std::endl;
    std::printf("checksum %zu\n", std::hash<std::string>{}(out.str()) % 1000003);
    return 0;
}
