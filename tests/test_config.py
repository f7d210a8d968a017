"""Paths and limits (mcp_lib.config)."""

from mcp_lib.config import DATA_DIR, OUTPUTS_DIR, REPO_ROOT, frameworks_dirs, inside


def test_inside_follows_the_real_path(tmp_path):
    root = tmp_path / "root"
    (root / "a").mkdir(parents=True)
    assert inside(root / "a", root) and inside(root, root)
    assert not inside(tmp_path / "other", root)
    (root / "link").symlink_to(tmp_path)
    assert not inside(root / "link" / "x", root)


def test_the_bundled_data_and_outputs_sit_in_the_repository(tmp_path):
    assert DATA_DIR.parent == REPO_ROOT and OUTPUTS_DIR.parent == REPO_ROOT
    dirs = frameworks_dirs(tmp_path)
    assert dirs[0] == tmp_path / "frameworks" and dirs[-1] == DATA_DIR / "frameworks"
