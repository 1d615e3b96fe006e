"""Resident ID numbers and phones: generated valid numbers pass, every kind of invalid one fails."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from portal import identity

TODAY = dt.date(2026, 11, 26)
regions = st.integers(110000, 820000).map(str)
births = st.dates(identity.EARLIEST_BIRTH, TODAY)
sequences = st.integers(0, 999).map(lambda n: f"{n:03d}")


def make_id(region: str, born: dt.date, seq: str) -> str:
    first17 = f"{region}{born:%Y%m%d}{seq}"
    return first17 + identity.check_digit(first17)


@given(regions, births, sequences)
def test_generated_valid_ids_pass(region, born, seq):
    assert identity.id_number_error(make_id(region, born, seq), TODAY) is None


@given(regions, births, sequences)
def test_lower_case_x_and_spaces_are_normalised(region, born, seq):
    number = make_id(region, born, seq)
    assert identity.id_number_error(f" {number.lower()} ", TODAY) is None


@given(regions, births, sequences, st.sampled_from(identity.CHECK_CHARS))
def test_any_other_check_character_fails(region, born, seq, wrong):
    number = make_id(region, born, seq)
    if wrong != number[-1]:
        assert identity.id_number_error(number[:17] + wrong, TODAY) == (
            "identity.error.id_check_digit")


@given(regions, st.integers(1, 12), st.integers(29, 99), sequences)
def test_impossible_birth_dates_fail(region, month, day, seq):
    first17 = f"{region}2023{month:02d}{day:02d}{seq}"  # 2023 has no 29 February
    if day <= 31 and day <= [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]:
        return
    number = first17 + identity.check_digit(first17)
    assert identity.id_number_error(number, TODAY) == "identity.error.id_birth_date"


@given(regions, st.dates(TODAY + dt.timedelta(days=1), dt.date(2099, 12, 31)), sequences)
def test_birth_dates_in_the_future_fail(region, born, seq):
    assert identity.id_number_error(make_id(region, born, seq), TODAY) == (
        "identity.error.id_birth_date")


@given(st.text(alphabet="0123456789X", min_size=0, max_size=25).filter(lambda s: len(s) != 18))
def test_wrong_lengths_fail(number):
    assert identity.id_number_error(number, TODAY) == "identity.error.id_length"


def test_letters_inside_fail():
    assert identity.id_number_error("37028519800101A01X", TODAY) == "identity.error.id_format"


def test_a_known_valid_number():
    # The standard's own example: 11010519491231002X.
    assert identity.id_number_error("11010519491231002X", TODAY) is None
    assert identity.mask_id("11010519491231002X") == "1101**********002X"


@given(st.sampled_from("3456789"), st.integers(0, 10**9 - 1))
def test_generated_mobiles_pass(second, rest):
    assert identity.phone_error(f"1{second}{rest:09d}", mobile_only=True) is None


@given(st.text(alphabet="0123456789", min_size=1, max_size=15).filter(
    lambda s: not identity.MOBILE.fullmatch(s) and not identity.LANDLINE.fullmatch(s)))
def test_other_digit_strings_are_not_phones(digits):
    assert identity.phone_error(digits) == "identity.error.phone_invalid"


def test_landline_is_a_phone_but_not_a_mobile():
    assert identity.phone_error("0532-88881234") is None
    assert identity.phone_error("0532-88881234", mobile_only=True) == (
        "identity.error.mobile_invalid")
