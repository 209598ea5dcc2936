R)
	j.devriescorrect horse battery staple