// Checkpoints of a network run (checkpoint.hpp): HDF5, written by rank 0, read by every rank.
//   attributes of /: format ("ionode-checkpoint 1"), steps, t (ms), dt, network (JSON: what the state
//                    belongs to, compared when resuming), outputs (JSON: paths and positions)
//   /populations/<population>/<variable>   float64 (neurons,)
//   /projections/<projection>/<variable>   float64 (post neurons,), a graded gate (pre neurons,)
//   /spikes/<member>/steps, /neurons       int64 (spikes,): the spikes delays still carry
#include "checkpoint.hpp"

#include <fmt/format.h>
#include <hdf5.h>

#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <span>

#include "ionode/distributed/context.hpp"
#include "ionode/error.hpp"
#include "ionode/version.hpp"
#include "partition.hpp"
#include "../io/hdf5_quiet.hpp"

namespace ionode::cli {

namespace {

constexpr const char* format_name = "ionode-checkpoint 1";


// An HDF5 identifier closed by its function when it goes.
class h5_id {
 public:
  h5_id(hid_t id, herr_t (*close)(hid_t), const std::string& what) : id_(id), close_(close) {
    if (id_ < 0) throw error(what);
  }
  ~h5_id() { close_(id_); }
  h5_id(const h5_id&) = delete;
  h5_id& operator=(const h5_id&) = delete;
  hid_t get() const { return id_; }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

void write_array(hid_t group, const std::string& name, hid_t type, const void* data, std::size_t count,
                 const std::string& path) {
  const hsize_t dims[1] = {count};
  const h5_id space(H5Screate_simple(1, dims, nullptr), H5Sclose, fmt::format("writing checkpoint '{}'", path));
  const h5_id dataset(H5Dcreate2(group, name.c_str(), type, space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                      H5Dclose, fmt::format("writing checkpoint '{}': creating {}", path, name));
  if (count > 0 && H5Dwrite(dataset.get(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0) {
    throw error(fmt::format("writing checkpoint '{}': writing {} failed (disk full?)", path, name));
  }
}

void write_text_attribute(hid_t object, const std::string& name, const std::string& text, const std::string& path) {
  const h5_id type(H5Tcopy(H5T_C_S1), H5Tclose, "HDF5 string type");
  H5Tset_size(type.get(), std::max<std::size_t>(1, text.size()));
  const h5_id space(H5Screate(H5S_SCALAR), H5Sclose, "HDF5 scalar space");
  const h5_id attribute(H5Acreate2(object, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                        fmt::format("writing checkpoint '{}': attribute {}", path, name));
  std::string padded = text.empty() ? std::string(1, '\0') : text;
  if (H5Awrite(attribute.get(), type.get(), padded.data()) < 0) {
    throw error(fmt::format("writing checkpoint '{}': attribute {} failed", path, name));
  }
}

std::string read_text_attribute(hid_t object, const std::string& name, const std::string& path) {
  const h5_id attribute(H5Aopen(object, name.c_str(), H5P_DEFAULT), H5Aclose,
                        fmt::format("'{}' is not an ionode checkpoint (no attribute '{}')", path, name));
  const h5_id type(H5Aget_type(attribute.get()), H5Tclose, "HDF5 attribute type");
  if (H5Tget_class(type.get()) != H5T_STRING || H5Tis_variable_str(type.get()) > 0) {
    throw error(fmt::format("'{}' is not an ionode checkpoint (attribute '{}' is not text)", path, name));
  }
  std::string text(H5Tget_size(type.get()), '\0');
  if (H5Aread(attribute.get(), type.get(), text.data()) < 0) {
    throw error(fmt::format("reading checkpoint '{}': attribute {} failed", path, name));
  }
  while (!text.empty() && text.back() == '\0') text.pop_back();
  return text;
}

// Elements [first, first + count) of a 1-d dataset, as doubles (or int64).
template <class T>
std::vector<T> read_array(hid_t group, const std::string& name, std::size_t first, std::size_t count, std::size_t whole,
                          const std::string& path) {
  const hid_t type = std::is_same_v<T, double> ? H5T_NATIVE_DOUBLE : H5T_NATIVE_INT64;
  const h5_id dataset(H5Dopen2(group, name.c_str(), H5P_DEFAULT), H5Dclose,
                      fmt::format("checkpoint '{}' has no {}; it was written for another network", path, name));
  const h5_id file_space(H5Dget_space(dataset.get()), H5Sclose, "HDF5 dataspace");
  hsize_t dims[1] = {0};
  if (H5Sget_simple_extent_ndims(file_space.get()) != 1 || H5Sget_simple_extent_dims(file_space.get(), dims, nullptr) < 0 ||
      (whole != 0 && dims[0] != whole)) {
    throw error(fmt::format("checkpoint '{}': {} has {} values; this network has {}", path, name, dims[0], whole));
  }
  if (whole == 0) count = dims[0];
  std::vector<T> out(count);
  if (count == 0) return out;
  const hsize_t start[1] = {first}, size[1] = {count};
  H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start, nullptr, size, nullptr);
  const h5_id memory(H5Screate_simple(1, size, nullptr), H5Sclose, "HDF5 dataspace");
  if (H5Dread(dataset.get(), type, memory.get(), file_space.get(), H5P_DEFAULT, out.data()) < 0) {
    throw error(fmt::format("reading checkpoint '{}': {} failed", path, name));
  }
  return out;
}

std::uint64_t total_synapses(network::network& net, std::size_t k) {
  std::vector<std::size_t> counts;
  const std::uint64_t mine = net.synapses(k).size();
  std::uint64_t total = 0;
  for (auto n : distributed::all_gather(net.context(), std::span<const std::uint64_t>(&mine, 1), counts)) {
    total += n;
  }
  return total;
}

// What the state belongs to: a checkpoint only continues the network it was taken from.
nlohmann::ordered_json network_signature(network::network& net, const network_config& config) {
  nlohmann::ordered_json sig;
  sig["dt"] = config.dt;
  nlohmann::ordered_json populations = nlohmann::ordered_json::array();
  for (std::size_t k = 0; k < config.populations.size(); ++k) {
    const population_config& p = config.populations[k];
    populations.push_back({{"name", p.name},
                           {"model", p.source.kind.empty() ? p.run.model : "source " + p.source.kind},
                           {"neurons", net.size_of(k)}});
  }
  sig["populations"] = populations;
  nlohmann::ordered_json projections = nlohmann::ordered_json::array();
  for (std::size_t k = 0; k < net.projection_count(); ++k) {
    const auto& spec = net.projection(k);
    projections.push_back({{"name", spec.name}, {"pre", spec.pre}, {"post", spec.post}, {"synapses", total_synapses(net, k)}});
  }
  sig["projections"] = projections;
  return sig;
}

bool graded(const network::network& net, std::size_t k) {
  return net.projection(k).synapse.kind == network::synapse_kind::graded;
}

}  // namespace

std::string default_checkpoint_path(const std::string& output) {
  const std::filesystem::path path(output);
  return (path.parent_path() / (path.stem().string() + ".checkpoint.h5")).string();
}

void write_checkpoint(network::network& net, const network_config& config, const output_positions& outputs,
                      const std::string& path) {
  auto& ctx = net.context();
  const bool root = ctx.rank() == 0;
  const nlohmann::ordered_json signature = network_signature(net, config);  // collective
  const io::detail::quiet_hdf5_errors quiet;  // the errors thrown here say what failed
  const std::string temporary = path + ".partial";
  std::unique_ptr<h5_id> file;
  std::exception_ptr failure;
  try {
    if (root) {
      file = std::make_unique<h5_id>(H5Fcreate(temporary.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose,
                                     fmt::format("cannot write checkpoint '{}'", temporary));
      write_text_attribute(file->get(), "format", format_name, path);
      write_text_attribute(file->get(), "network", signature.dump(), path);
      nlohmann::ordered_json state{{"steps", net.steps_done()}, {"t", net.time()}, {"ionode_version", ionode::version},
                                   {"ranks", ctx.size()}, {"outputs", outputs.paths}, {"samples", outputs.samples},
                                   {"spikes", outputs.spikes}};
      write_text_attribute(file->get(), "state", state.dump(), path);
    }
  } catch (...) {
    failure = std::current_exception();
  }
  distributed::agree(ctx, failure);
  // Rank 0 gathers each column and writes it; an error there is kept until every column has gone
  // round, so that the other ranks are never left in a gather.
  std::string write_error;
  const auto gather_and_write = [&](hid_t group, const std::string& name, const std::vector<double>& mine) {
    std::vector<std::size_t> counts;
    const std::vector<double> all = distributed::gather(ctx, std::span<const double>(mine), counts, 0);
    if (!root || !write_error.empty()) return;
    try {
      write_array(group, name, H5T_NATIVE_DOUBLE, all.data(), all.size(), path);
    } catch (const std::exception& e) {
      write_error = e.what();
    }
  };
  const auto make_group = [&](hid_t parent, const std::string& name) -> std::unique_ptr<h5_id> {
    if (!root || parent < 0 || !write_error.empty()) return nullptr;
    try {
      return std::make_unique<h5_id>(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
                                     fmt::format("writing checkpoint '{}': group {}", path, name));
    } catch (const std::exception& e) {
      write_error = e.what();
      return nullptr;
    }
  };
  const auto id = [](const std::unique_ptr<h5_id>& group) { return group ? group->get() : hid_t{-1}; };
  const hid_t top = root ? file->get() : -1;
  {
    const auto populations = make_group(top, "populations");
    for (std::size_t k = 0; k < net.population_count(); ++k) {
      if (net.is_source(k)) continue;  // a source's spikes are a function of the step
      const auto group = make_group(id(populations), config.populations[k].name);
      for (const auto& variable : net.model_of(k).variables) {
        const std::vector<double> mine = net.has_part(k) ? net.population_at(k).values(variable.name) : std::vector<double>{};
        gather_and_write(id(group), std::string(variable.name), mine);
      }
    }
  }
  {
    const auto projections = make_group(top, "projections");
    for (std::size_t k = 0; k < net.projection_count(); ++k) {
      const auto group = make_group(id(projections), net.projection(k).name);
      const auto names = net.receptor_of(k).variable_names();
      for (std::size_t v = 0; v < names.size(); ++v) {
        const std::vector<double>& values = net.receptor_of(k).variable(v);
        if (graded(net, k) && v == 1) {
          // The gates, one per presynaptic neuron: every rank holds all of them.
          if (root && write_error.empty()) {
            try {
              write_array(id(group), names[v], H5T_NATIVE_DOUBLE, values.data(), values.size(), path);
            } catch (const std::exception& e) {
              write_error = e.what();
            }
          }
          continue;
        }
        gather_and_write(id(group), names[v], values);
      }
    }
  }
  if (root && write_error.empty()) {
    try {
      const auto spikes = make_group(top, "spikes");
      const auto recent = net.recent_spikes();
      for (std::size_t k = 0; k < recent.size() && write_error.empty(); ++k) {
        const auto group = make_group(id(spikes), config.populations[k].name);
        if (!group) break;
        std::vector<std::int64_t> neurons(recent[k].neurons.begin(), recent[k].neurons.end());
        write_array(group->get(), "steps", H5T_NATIVE_INT64, recent[k].steps.data(), recent[k].steps.size(), path);
        write_array(group->get(), "neurons", H5T_NATIVE_INT64, neurons.data(), neurons.size(), path);
      }
      if (!write_error.empty()) throw error(write_error);
      if (H5Fflush(file->get(), H5F_SCOPE_GLOBAL) < 0) throw error(fmt::format("writing checkpoint '{}' failed", path));
      file.reset();
      std::error_code code;
      std::filesystem::rename(temporary, path, code);
      if (code) throw error(fmt::format("cannot write checkpoint '{}': {}", path, code.message()));
    } catch (const std::exception& e) {
      write_error = e.what();
    }
  }
  if (root && !write_error.empty()) {
    file.reset();
    std::remove(temporary.c_str());
  }
  std::exception_ptr written;
  if (root && !write_error.empty()) written = std::make_exception_ptr(error(write_error));
  distributed::agree(ctx, written);
}

resumed resume_from_checkpoint(network::network& net, const network_config& config, const std::string& path) {
  auto& ctx = net.context();
  const nlohmann::ordered_json signature = network_signature(net, config);  // collective
  resumed out;
  std::vector<network::network::spike_history> recent(net.population_count());
  std::exception_ptr failure;
  try {
    const io::detail::quiet_hdf5_errors quiet;  // the errors thrown here say what failed
    std::error_code code;
    if (!std::filesystem::is_regular_file(path, code)) throw error(fmt::format("--resume: no checkpoint '{}'", path));
    const h5_id file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose,
                     fmt::format("--resume: '{}' is not an ionode checkpoint (not an HDF5 file)", path));
    if (read_text_attribute(file.get(), "format", path) != format_name) {
      throw error(fmt::format("--resume: '{}' is not a checkpoint of this version of ionode (format '{}')", path,
                              read_text_attribute(file.get(), "format", path)));
    }
    const auto written_for = nlohmann::ordered_json::parse(read_text_attribute(file.get(), "network", path));
    if (written_for != signature) {
      std::string what = "its network";
      for (const auto& key : {"dt", "populations", "projections"}) {
        if (written_for.value(key, nlohmann::ordered_json()) != signature[key]) {
          what = fmt::format("{}: {} there, {} here", key, written_for.value(key, nlohmann::ordered_json()).dump(),
                             signature[key].dump());
          break;
        }
      }
      throw error(fmt::format("--resume: checkpoint '{}' was written for another network ({}); resume it with the "
                              "configuration that wrote it",
                              path, what));
    }
    const auto state = nlohmann::ordered_json::parse(read_text_attribute(file.get(), "state", path));
    out.steps = state.at("steps").get<std::int64_t>();
    out.outputs.paths = state.at("outputs").get<std::vector<std::string>>();
    out.outputs.samples = state.at("samples").get<std::vector<std::size_t>>();
    out.outputs.spikes = state.at("spikes").get<std::vector<std::size_t>>();
    for (std::size_t k = 0; k < net.population_count(); ++k) {
      const std::string& name = config.populations[k].name;
      if (!net.is_source(k) && net.has_part(k)) {
        population& pop = net.population_at(k);
        for (const auto& variable : net.model_of(k).variables) {
          const std::string where = fmt::format("populations/{}/{}", name, variable.name);
          pop.set_values(variable.name, read_array<double>(file.get(), where, net.first_of(k), pop.size(),
                                                           net.size_of(k), path));
        }
      }
      const std::string where = fmt::format("spikes/{}/", name);
      recent[k].steps = read_array<std::int64_t>(file.get(), where + "steps", 0, 0, 0, path);
      const auto neurons = read_array<std::int64_t>(file.get(), where + "neurons", 0, 0, 0, path);
      recent[k].neurons.assign(neurons.begin(), neurons.end());
    }
    for (std::size_t k = 0; k < net.projection_count(); ++k) {
      const auto& spec = net.projection(k);
      const std::size_t post = net.population_index(spec.post), pre = net.population_index(spec.pre);
      const auto names = net.receptor_of(k).variable_names();
      for (std::size_t v = 0; v < names.size(); ++v) {
        const std::string where = fmt::format("projections/{}/{}", spec.name, names[v]);
        std::vector<double>& values = net.receptor_of(k).variable(v);
        values = graded(net, k) && v == 1
                     ? read_array<double>(file.get(), where, 0, net.size_of(pre), net.size_of(pre), path)
                     : read_array<double>(file.get(), where, net.first_of(post), values.size(), net.size_of(post), path);
      }
    }
  } catch (...) {
    failure = std::current_exception();
  }
  distributed::agree(ctx, failure);
  net.resume_at(out.steps, recent);  // collective
  return out;
}

}  // namespace ionode::cli
