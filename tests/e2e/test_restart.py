"""test_restart.py: a second start on the same data keeps it, as `make run` promises."""

from hearth_stack import Stack, unique


def test_second_start_keeps_the_data_and_creates_no_second_admin():
    first = Stack("nginx").start()
    address = unique("restart") + "@example.org"
    try:
        assert first.client().join("Kept Person", address).status_code == 303
        assert "First start: created the admin account" in first.log()
    finally:
        first.stop(keep=True)

    second = Stack("nginx", var=first.var).start()
    try:
        assert second.candidate_emails().count(address) == 1
        count = second.hearthctl("user", "count")
        assert count.returncode == 0 and count.stdout.strip() == "1"
        assert "First start" not in second.log()
        # And it serves as before: the same person signing up again changes nothing.
        assert second.client().join("Kept Person", address).status_code == 303
        assert second.candidate_emails().count(address) == 1
        assert second.hearthctl("verify").returncode == 0
    finally:
        second.stop()
