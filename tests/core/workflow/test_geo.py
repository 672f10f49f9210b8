from hypothesis import given
from hypothesis import strategies as st

from core.workflow.geo import gcj02_to_bd09, to_wgs84, wgs84_to_gcj02

# Mainland China, where the offsets apply.
lons = st.floats(min_value=75, max_value=134)
lats = st.floats(min_value=18, max_value=53)


@given(lons, lats)
def test_gcj02_round_trips_to_wgs84_within_a_centimetre(lon, lat):
    back = to_wgs84(*wgs84_to_gcj02(lon, lat), "gcj02")
    assert abs(back[0] - lon) < 1e-7 and abs(back[1] - lat) < 1e-7


@given(lons, lats)
def test_bd09_round_trips_to_wgs84_within_half_a_metre(lon, lat):
    # Baidu's published inverse is itself approximate (about 1e-6 degrees).
    back = to_wgs84(*gcj02_to_bd09(*wgs84_to_gcj02(lon, lat)), "bd09")
    assert abs(back[0] - lon) < 5e-6 and abs(back[1] - lat) < 5e-6


def test_known_offset_in_wuhu_is_hundreds_of_metres():
    # 芜湖 city centre: GCJ-02 lies a few hundred metres from WGS-84.
    lon, lat = 118.376, 31.326
    gcj = wgs84_to_gcj02(lon, lat)
    assert 0.002 < abs(gcj[0] - lon) + abs(gcj[1] - lat) < 0.01


def test_outside_china_is_unchanged():
    assert wgs84_to_gcj02(2.35, 48.85) == (2.35, 48.85)
