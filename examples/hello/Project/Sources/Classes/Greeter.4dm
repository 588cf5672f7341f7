property salutation : Text

Class constructor($salutation : Text)
	This.salutation:=$salutation

Function greet($name : Text) : Text
	return This.salutation+", "+$name+"!"
