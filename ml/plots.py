"""PNG figures that document a training run (headless: Agg backend)."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def training_curves(history: dict, path):
    epochs = np.arange(1, len(history["loss"]) + 1)
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(10, 4))
    ax_loss.plot(epochs, history["loss"], label="training (augmented)")
    ax_loss.plot(epochs, history["val_loss"], label="validation")
    ax_loss.set(title="Loss", xlabel="epoch", yscale="log")
    ax_acc.plot(epochs, 100 * np.asarray(history["accuracy"]), label="training (augmented)")
    ax_acc.plot(epochs, 100 * np.asarray(history["val_accuracy"]), label="validation")
    ax_acc.set(title="Accuracy (%)", xlabel="epoch", ylim=(97, 100))
    for ax in (ax_loss, ax_acc):
        ax.grid(alpha=0.3)
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def confusion(matrix: np.ndarray, path):
    fig, ax = plt.subplots(figsize=(6.5, 5.5))
    # Log colour scale so the handful of errors off the diagonal stay visible.
    shown = ax.imshow(np.log1p(matrix), cmap="Blues")
    for i in range(10):
        for j in range(10):
            if matrix[i, j]:
                ax.text(j, i, str(matrix[i, j]), ha="center", va="center", fontsize=7,
                        color="white" if i == j else "black")
    ax.set(xticks=range(10), yticks=range(10), xlabel="predicted", ylabel="true",
           title=f"Test confusion matrix ({matrix.trace()} / {matrix.sum()} correct)")
    fig.colorbar(shown, ax=ax, label="log(1 + count)")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def misclassified(images, labels, predictions, path, limit=60):
    wrong = np.flatnonzero(labels != predictions)[:limit]
    cols = 10
    rows = max(1, int(np.ceil(len(wrong) / cols)))
    fig, axes = plt.subplots(rows, cols, figsize=(cols * 1.1, rows * 1.3), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, index in zip(axes.flat, wrong):
        ax.imshow(images[index], cmap="gray")
        ax.set_title(f"{labels[index]}→{predictions[index]}", fontsize=9)
    fig.suptitle(f"Misclassified test digits, true→predicted ({len(np.flatnonzero(labels != predictions))} total)")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def class_balance(labels, path):
    counts = np.bincount(np.asarray(labels, np.int64), minlength=10)
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.bar(range(10), counts, color="tab:blue")
    ax.axhline(counts.mean(), color="gray", linestyle="--", linewidth=1, label="mean")
    ax.set(xticks=range(10), xlabel="digit", ylabel="training images", title="Training class balance")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
