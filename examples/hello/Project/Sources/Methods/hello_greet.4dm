//%attributes = {"invisible":false,"shared":true}
// Returns a greeting for $name.
#DECLARE($name : Text) : Text
var $greeter : cs.Greeter:=cs.Greeter.new("Hello")
return $greeter.greet($name)
