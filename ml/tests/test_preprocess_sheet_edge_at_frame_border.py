"""Where a photographed sheet runs off the frame, a sliver of table or of the sheet's edge along
the picture's border is not read as a digit (rendered corpus picture, tuning split)."""
from ml.corpus import generate
from ml.preprocess import preprocess


def test_it_reads_the_7_and_not_the_sliver_at_the_border(mnist_test_set):
    from ml.recognise import recognise

    data, _, truth = generate("keystone", 76, *mnist_test_set, split="tuning")
    assert preprocess(data).page
    assert len(preprocess(data).inputs) == 1
    assert recognise(data).number == truth
