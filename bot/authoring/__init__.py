"""For the people who write the knowledge: scores (`kb test`, the eval sets, the bench) and
editing advice (`kb lint`). It sits above knowledge and matching: it judges one by the other."""
