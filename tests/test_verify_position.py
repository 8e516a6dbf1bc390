"""`radio verify` says where in a track a damaged sample is, not where the track starts."""
from clirun import run_radio


def test_a_flipped_bit_is_placed_where_it_is(production):
    for args in (["build", "--all"], ["disc"]):
        code, out, err = run_radio(args, production)
        assert code == 0, err
    disc = production / "output" / "disc"
    cue = next(disc.glob("*.cue"))
    image = cue.with_suffix(".bin")
    data = bytearray(image.read_bytes())
    sector = 20 * 75 + 30                      # 20.4 s into track 1 (which starts at sector 0)
    data[sector * 2352 + 1001] ^= 0x10
    image.write_bytes(bytes(data))
    code, out, err = run_radio(["verify", str(cue)], production)
    assert code == 1, (out, err)
    assert ("samples differ from the manifest from 00:20:30 into the track "
            "(00:20:30 on the disc)") in out + err, out + err
