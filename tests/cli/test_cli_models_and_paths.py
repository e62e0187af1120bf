"""`ionode models NAME`, and output paths whose folder exists but creates no files."""

from conftest import run_ionode


def test_output_in_a_folder_that_creates_no_files_is_not_called_missing(tmp_path):
    # /proc exists, but creating a file in it fails with ENOENT: the message must not say it is missing.
    done = run_ionode(["run", "-o", "/proc/x.npz"], tmp_path)
    assert done.returncode == 2
    assert "does not exist" not in done.stderr
    assert "'/proc' exists but does not let files be created in it" in done.stderr


def test_models_shows_one_model_by_name_or_alias(tmp_path):
    done = run_ionode(["models", "HH"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("HH")
    assert "MorrisLecar" not in done.stdout and "WangBuzsaki" not in done.stdout
    assert "gNa" in done.stdout
    both = run_ionode(["models", "WangBuzsaki", "MorrisLecar"], tmp_path)
    assert both.returncode == 0
    assert both.stdout.index("WangBuzsaki") < both.stdout.index("MorrisLecar")
    assert "PinskyRinzel" not in both.stdout


def test_models_refuses_an_unknown_name_listing_the_models(tmp_path):
    done = run_ionode(["models", "Hodgkin"], tmp_path)
    assert done.returncode == 2
    assert "Hodgkin" in done.stderr and "HH" in done.stderr
    assert done.stdout == ""
